/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import dev.tether.internal.Transports;

/**
 * The Netty transport a client's sockets run on.
 *
 * @since 0.1
 */
public enum Transport {
    /**
     * The default: native epoll where it is available (Linux), else NIO. The transport chosen is logged at DEBUG and
     * returned by {@link TetherClient#transport()}.
     *
     * <p>AUTO does not choose io_uring: measured side by side, it streamed no faster than epoll (0.83 to 1.24 times
     * epoll's rate across workloads and runs, slower with 4 KiB frames in every run), and it has costs epoll does not
     * (see {@link #IO_URING}). Ask for it by name to try it.
     */
    AUTO,
    /** Java NIO: works everywhere. */
    NIO,
    /** Native epoll (Linux only); enables {@code TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable. */
    EPOLL,
    /**
     * Native io_uring (Linux 5.14 or later, where the kernel and its security settings allow it); enables {@code
     * TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable, with the reason.
     *
     * <p>Netty's io_uring transport can miss a reset that arrives right behind data when it runs with multishot
     * polls, its default. So a client on io_uring needs them off: start the JVM with {@code
     * -Dio.netty.iouring.pollAddMultishotEnabled=false}. Without it, creating a client with {@code IO_URING} fails
     * with {@link IllegalStateException} saying so (a caller's own io_uring event-loop group only logs a warning).
     * Tether does not set the property itself: it would change Netty for every library in the JVM. Each I/O thread's
     * completion queue holds 16,384 entries
     * (Netty's default is 4,096), so a client can close thousands of connections at once without overflowing it.
     */
    IO_URING;

    /**
     * Whether a client can run on this transport here: always for {@link #AUTO} and {@link #NIO}; for {@link #EPOLL}
     * and {@link #IO_URING}, whether Netty can load them on this machine (operating system, kernel, architecture and
     * security settings), and for {@code IO_URING} also whether Netty runs it with one-shot polls in this JVM (see
     * {@link #IO_URING}). Creating a client with an unavailable transport fails and says why.
     *
     * @return whether this transport is usable in this JVM
     */
    public boolean isAvailable() {
        return Transports.isAvailable(this);
    }
}
