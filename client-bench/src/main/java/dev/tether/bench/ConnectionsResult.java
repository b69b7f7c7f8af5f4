/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of {@link ManyConnections} measured in one JVM: one client holding {@code connections} idle
 * connections. Memory and thread figures are what the open connections added to the baseline taken after a warm-up.
 *
 * <p>Travels from the child JVM to the parent as one line of {@code key=value} pairs; see {@link #line()} and
 * {@link #parse(String)}. The parent adds the count of io_uring completion-queue overflow warnings it saw on the
 * child's stderr, split by phase (until all were open, and after).
 *
 * @param client {@code tether} or {@code netty}
 * @param requested the transport asked for, such as {@code auto}
 * @param transport the transport the client ran on, never {@code auto}
 * @param ioThreads the client's I/O threads
 * @param connections how many connections were open at once
 * @param fdLimit the child JVM's limit on open files
 * @param openNanos from the first connect to the last connect future completed
 * @param closeNanos from the start of the close to every connection closed and the I/O threads stopped
 * @param heapBytes heap used after GC at the peak, less the baseline
 * @param directBytes direct memory at the peak (JDK buffer pool plus Netty's own counter), less the baseline
 * @param rssBytes resident set size at the peak, less the baseline: with the heap pre-touched, memory outside it (native, direct, stacks, metaspace)
 * @param threads threads alive at the peak that were not alive at the baseline
 * @param threadNames their names, joined by {@code +}, or {@code -}
 * @param threadsAfterClose of those, how many were still alive once the close had finished
 * @param overflowsOpen completion-queue overflow warnings logged until all connections were open
 * @param overflowsClose completion-queue overflow warnings logged after that
 */
record ConnectionsResult(
        String client,
        String requested,
        String transport,
        int ioThreads,
        int connections,
        long fdLimit,
        long openNanos,
        long closeNanos,
        long heapBytes,
        long directBytes,
        long rssBytes,
        int threads,
        String threadNames,
        int threadsAfterClose,
        int overflowsOpen,
        int overflowsClose) {

    /** Returns the same figures with the overflow counts the parent saw. */
    ConnectionsResult withOverflows(int open, int close) {
        return new ConnectionsResult(
                client,
                requested,
                transport,
                ioThreads,
                connections,
                fdLimit,
                openNanos,
                closeNanos,
                heapBytes,
                directBytes,
                rssBytes,
                threads,
                threadNames,
                threadsAfterClose,
                open,
                close);
    }

    double heapPerConnection() {
        return (double) heapBytes / connections;
    }

    double directPerConnection() {
        return (double) directBytes / connections;
    }

    double rssPerConnection() {
        return (double) rssBytes / connections;
    }

    /** {@code client=tether requested=auto transport=io_uring io_threads=1 connections=10000 ...}, one line. */
    String line() {
        return String.format(
                Locale.ROOT,
                "client=%s requested=%s transport=%s io_threads=%d connections=%d fd_limit=%d open_ns=%d close_ns=%d"
                        + " heap_bytes=%d direct_bytes=%d rss_bytes=%d threads=%d thread_names=%s"
                        + " threads_after_close=%d cq_overflows_open=%d cq_overflows_close=%d",
                client,
                requested,
                transport,
                ioThreads,
                connections,
                fdLimit,
                openNanos,
                closeNanos,
                heapBytes,
                directBytes,
                rssBytes,
                threads,
                threadNames,
                threadsAfterClose,
                overflowsOpen,
                overflowsClose);
    }

    /**
     * Reads a line written by {@link #line()}.
     *
     * @throws IllegalArgumentException if a key is missing or a number does not parse
     */
    static ConnectionsResult parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : line.strip().split(" +")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not key=value: '" + pair + "' in: " + line);
            }
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        try {
            return new ConnectionsResult(
                    value(values, "client", line),
                    value(values, "requested", line),
                    value(values, "transport", line),
                    Integer.parseInt(value(values, "io_threads", line)),
                    Integer.parseInt(value(values, "connections", line)),
                    Long.parseLong(value(values, "fd_limit", line)),
                    Long.parseLong(value(values, "open_ns", line)),
                    Long.parseLong(value(values, "close_ns", line)),
                    Long.parseLong(value(values, "heap_bytes", line)),
                    Long.parseLong(value(values, "direct_bytes", line)),
                    Long.parseLong(value(values, "rss_bytes", line)),
                    Integer.parseInt(value(values, "threads", line)),
                    value(values, "thread_names", line),
                    Integer.parseInt(value(values, "threads_after_close", line)),
                    Integer.parseInt(value(values, "cq_overflows_open", line)),
                    Integer.parseInt(value(values, "cq_overflows_close", line)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a number does not parse in: " + line, e);
        }
    }

    private static String value(Map<String, String> values, String key, String line) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key + "= in: " + line);
        }
        return value;
    }
}
