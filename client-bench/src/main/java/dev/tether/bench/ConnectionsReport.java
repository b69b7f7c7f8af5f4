/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/** Formats the figures of {@link ManyConnections}: medians over the runs, a console line each, a Markdown page. */
final class ConnectionsReport {
    private ConnectionsReport() {}

    /**
     * Returns one result per client and requested transport, in the order first run, each figure the median of its
     * runs (the lower middle one for an even count); thread names and counts from the first run.
     */
    static List<ConnectionsResult> medians(List<ConnectionsResult> results) {
        Map<String, List<ConnectionsResult>> runs = new LinkedHashMap<>();
        for (ConnectionsResult result : results) {
            runs.computeIfAbsent(
                            result.client() + "/" + result.requested() + "/" + result.ioThreads(),
                            key -> new ArrayList<>())
                    .add(result);
        }
        List<ConnectionsResult> medians = new ArrayList<>();
        for (List<ConnectionsResult> of : runs.values()) {
            ConnectionsResult first = of.get(0);
            medians.add(new ConnectionsResult(
                    first.client(),
                    first.requested(),
                    first.transport(),
                    first.ioThreads(),
                    first.connections(),
                    first.fdLimit(),
                    median(of, ConnectionsResult::openNanos),
                    median(of, ConnectionsResult::closeNanos),
                    median(of, ConnectionsResult::heapBytes),
                    median(of, ConnectionsResult::directBytes),
                    median(of, ConnectionsResult::rssBytes),
                    first.threads(),
                    first.threadNames(),
                    of.stream()
                            .mapToInt(ConnectionsResult::threadsAfterClose)
                            .max()
                            .orElse(0),
                    (int) median(of, ConnectionsResult::overflowsOpen),
                    (int) median(of, ConnectionsResult::overflowsClose)));
        }
        return medians;
    }

    private static long median(List<ConnectionsResult> of, ToLongFunction<ConnectionsResult> figure) {
        long[] sorted = of.stream().mapToLong(figure).sorted().toArray();
        return sorted[(sorted.length - 1) / 2];
    }

    /** The hand-written Netty client's result on the same transport with the same I/O threads. */
    static Optional<ConnectionsResult> netty(ConnectionsResult result, List<ConnectionsResult> medians) {
        return medians.stream()
                .filter(r -> r.client().equals("netty")
                        && r.transport().equals(result.transport())
                        && r.ioThreads() == result.ioThreads())
                .findFirst();
    }

    /** Heap per connection against Netty's on the same transport, such as {@code 1.23}, or {@code -}. */
    static String heapRatio(ConnectionsResult result, List<ConnectionsResult> medians) {
        return netty(result, medians)
                .filter(n -> n.heapBytes() > 0)
                .map(n -> String.format(Locale.ROOT, "%.2f", (double) result.heapBytes() / n.heapBytes()))
                .orElse("-");
    }

    /** One console line: the medians with per-connection figures and the ratio to Netty. */
    static String summary(ConnectionsResult result, List<ConnectionsResult> medians) {
        return String.format(
                Locale.ROOT,
                "summary client=%s transport=%s io_threads=%d connections=%d open_s=%.2f close_s=%.2f"
                        + " heap_per_conn=%d direct_per_conn=%d rss_per_conn=%d threads=%d heap_x_netty=%s"
                        + " cq_overflows=%d/%d",
                result.client(),
                transport(result),
                result.ioThreads(),
                result.connections(),
                result.openNanos() / 1e9,
                result.closeNanos() / 1e9,
                Math.round(result.heapPerConnection()), // whole bytes, and no "-0"
                Math.round(result.directPerConnection()),
                Math.round(result.rssPerConnection()),
                result.threads(),
                heapRatio(result, medians),
                result.overflowsOpen(),
                result.overflowsClose());
    }

    private static String transport(ConnectionsResult result) {
        return result.requested().equals(result.transport())
                ? result.transport()
                : result.transport() + " (" + result.requested() + ")";
    }

    static String markdown(
            ManyConnections.Options options,
            String[] args,
            List<ConnectionsResult> results,
            List<ConnectionsResult> medians,
            Map<String, String> histograms,
            String machine,
            int[] portRange) {
        StringBuilder page = new StringBuilder();
        page.append("# Many connections\n\n")
                .append("Produced by `client-bench` (`dev.tether.bench.ManyConnections`); do not edit by hand, run it"
                        + " again:\n\n")
                .append("```sh\n./mvnw -B -ntp -q package -DskipTests\n")
                .append("java -cp client-bench/target/tether-bench.jar dev.tether.bench.ManyConnections ")
                .append(String.join(" ", args))
                .append("\n```\n\n")
                .append("Machine: ")
                .append(machine)
                .append(String.format(
                        Locale.ROOT,
                        ". File limit of the client JVMs: %d. Ephemeral ports: %d–%d.\n\n",
                        results.isEmpty() ? -1 : results.get(0).fdLimit(),
                        portRange[0],
                        portRange[1]))
                .append(String.format(
                        Locale.ROOT,
                        "One client opens %,d connections to a Netty server in the runner's JVM (epoll, one thread) that"
                                + " accepts them and stays idle: no data either way. Each client runs in a fresh JVM"
                                + " (G1, `-Xms1g -Xmx1g -XX:+AlwaysPreTouch`, so the heap is resident from the start and RSS growth is memory outside it) of its own, %d time(s), interleaved with the other; figures are"
                                + " medians. The child first opens and closes 100 connections on a throwaway client of"
                                + " the same kind, then takes a baseline, opens all connections with at most %d"
                                + " attempts outstanding, and measures again once all are open: heap used after"
                                + " `System.gc()`, direct memory (the JDK's direct buffer pool plus Netty's own"
                                + " counter), resident set size,"
                                + " and the threads alive that were not alive at the baseline. The runner checks that"
                                + " its server sees every connection open at that point and every one closed at the"
                                + " end. Open all runs from the first connect to the last connect future completed;"
                                + " close all from the start of the close to every connection closed and the I/O"
                                + " threads stopped.\n\n",
                        options.connections(),
                        options.reps(),
                        options.batch()))
                .append("* **tether**: one `TetherClient` with the README's defaults (its own group,"
                        + " `eventLoops(threads, transport)`, default 1 thread; reconnect, TCP keepalive, lines of up to 64 KiB) and a message"
                        + " handler, `connect()` called once per connection; closed with `closeAsync()` (what"
                        + " `close()` waits on).\n")
                .append("* **netty**: the hand-written equivalent: one `Bootstrap` on a `MultiThreadIoEventLoopGroup`"
                        + " with the same threads and transport, `LineBasedFrameDecoder(64 KiB)`, a shared"
                        + " `StringDecoder` and a handler per channel, kept in a `DefaultChannelGroup`; closed by"
                        + " closing the group's channels, then shutting the event-loop group down.\n\n")
                .append(
                        "`x netty` is heap per connection against the Netty client on the same transport and I/O threads. On io_uring"
                                + " both run with Netty's multishot polls off, which Tether requires of io_uring. `CQ overflow` counts the"
                                + " lines of Netty's `CompletionQueue overflow detected` warning in the child's log, while"
                                + " opening / after all were open. Direct memory does not grow with connections on"
                                + " any transport here: it is what the I/O threads hold (io_uring's rings, epoll's event"
                                + " array), shown per connection only to compare.\n\n");
        page.append("| client | transport | io threads | open all (s) | close all (s) | heap/conn (bytes)"
                        + " | direct/conn (bytes) | threads | x netty | RSS/conn (bytes) | CQ overflow |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (ConnectionsResult result : medians) {
            page.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %.2f | %.2f | %,d | %,d | %d (%s) | %s | %,d | %d / %d |\n",
                    result.client(),
                    transport(result),
                    result.ioThreads(),
                    result.openNanos() / 1e9,
                    result.closeNanos() / 1e9,
                    Math.round(result.heapPerConnection()),
                    Math.round(result.directPerConnection()),
                    result.threads(),
                    result.threadNames().replace("+", ", "),
                    heapRatio(result, medians),
                    Math.round(result.rssPerConnection()),
                    result.overflowsOpen(),
                    result.overflowsClose()));
        }
        page.append('\n');
        if (options.reps() > 1) {
            page.append("Every run:\n\n```\n");
            results.forEach(result -> page.append(result.line()).append('\n'));
            page.append("```\n\n");
        }
        if (!histograms.isEmpty()) {
            page.append("## Heap histograms at the peak\n\n")
                    .append("`jmap -histo:live` of the child with all connections open (first run, first transport and"
                            + " thread count): the"
                            + " largest classes, and every class with about one instance per connection or more.\n\n");
            histograms.forEach((key, histogram) -> page.append("### ")
                    .append(key)
                    .append("\n\n```\n")
                    .append(histogram)
                    .append("\n```\n\n"));
        }
        return page.toString();
    }
}
