/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

/**
 * One client of the ping-pong benchmark: it opens a fresh connection to the echo server, plays round trips of one
 * 64-byte line each, one in flight at a time, checks every echo, and returns how long each round trip took.
 */
interface PingPeer extends AutoCloseable {
    /** Returns the client's name in the results, such as {@code tether-handler}. */
    String name();

    /** Returns the Netty transport it runs on, such as {@code io_uring}, or {@code -} if it has none. */
    String transport();

    /**
     * Connects to the echo server on {@code port}, plays {@code warmup} round trips it does not time, then {@code
     * roundTrips} it does, and closes the connection.
     *
     * @return the nanoseconds of each timed round trip, from just before the send to just after the echo arrived,
     *     in the order played
     * @throws IllegalStateException if an echo differs from its ping, or the connection ended early
     */
    long[] pingPong(int port, int warmup, int roundTrips) throws Exception;

    @Override
    default void close() throws Exception {}
}
