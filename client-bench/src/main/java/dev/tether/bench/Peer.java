/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

/**
 * One client under test: it connects to the feed, takes every message as its users would (text decoded, unless it
 * is a bytes client or the raw sink), and proves it received exactly what was sent.
 */
interface Peer extends AutoCloseable {
    /** Returns the client's name in the results, such as {@code tether-strings}. */
    String name();

    /** Returns the Netty transport it runs on, {@code nio} or {@code epoll}, or {@code -} if it has none. */
    String transport();

    /** Returns the TLS provider of its connections, {@code jdk} or {@code openssl}, or {@code ""} over plain TCP. */
    default String tls() {
        return "";
    }

    /**
     * Connects to the feed on {@code port}, receives until the server closes, and checks the count.
     *
     * @return the nanoseconds from the start of the connect to the server's close
     * @throws IllegalStateException if it did not receive exactly {@code messages} messages of the workload's size
     */
    long receive(Workload workload, long messages, int port) throws Exception;

    @Override
    default void close() throws Exception {}

    /** Checks what a client counted against what the feed sent. */
    static void verify(String name, Workload workload, long expected, long messages, long payloadBytes) {
        if (messages != expected || payloadBytes != expected * workload.size()) {
            throw new IllegalStateException(String.format(
                    "%s on %s: received %d messages with %d payload bytes, expected %d with %d",
                    name, workload.label(), messages, payloadBytes, expected, expected * workload.size()));
        }
    }
}
