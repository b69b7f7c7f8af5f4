/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One client of {@link ManyConnections}: opens connections that stay idle, then closes them all at once. */
interface IdleClient {
    /** The names {@code --clients} takes. */
    List<String> NAMES = List.of("tether", "netty");

    /**
     * Creates the client called {@code name} ({@code tether} or {@code netty}); starts its I/O threads, opens nothing.
     *
     * @param threadPrefix the start of its thread names, so the runner can tell them apart
     * @param targets the server's addresses; connections are spread over them where the client can
     */
    static IdleClient create(
            String name, String threadPrefix, Transport transport, int ioThreads, List<InetSocketAddress> targets) {
        return switch (name) {
            case "tether" -> new TetherIdleClient(threadPrefix, transport, ioThreads, targets);
            case "netty" -> new NettyIdleClient(threadPrefix, transport, ioThreads, targets);
            default -> throw new IllegalArgumentException("unknown client '" + name + "'; known: " + NAMES);
        };
    }

    /** Returns the transport the client runs on: {@code nio}, {@code epoll} or {@code io_uring}. */
    String transport();

    /**
     * Opens connection number {@code index} (counting from 0); may be called from any thread.
     *
     * @return a future completed with the connection or channel, which the caller keeps as a user would
     */
    CompletableFuture<Object> connect(int index);

    /** Closes every connection and stops the I/O threads; returns when all that is done. */
    void closeAll() throws Exception;
}
