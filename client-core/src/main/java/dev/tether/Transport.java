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
     * The default: native io_uring where it is available and sees resets reliably, else native epoll where it is
     * available (Linux), else NIO. The transport chosen is logged at DEBUG and returned by {@link
     * TetherClient#transport()}.
     *
     * <p>Netty's io_uring transport can miss a reset that arrives right behind data when it runs with multishot
     * polls, its default. Tether turns them off by setting the system property {@code
     * io.netty.iouring.pollAddMultishotEnabled} to {@code false} when it first resolves a transport, unless the
     * application set that property. Where Netty's io_uring support loaded before that, or the property is {@code
     * true}, AUTO chooses epoll instead.
     */
    AUTO,
    /** Java NIO: works everywhere. */
    NIO,
    /** Native epoll (Linux only); enables {@code TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable. */
    EPOLL,
    /**
     * Native io_uring (Linux 5.14 or later, where the kernel and its security settings allow it); enables {@code
     * TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable, with the reason, and logs a warning where
     * Netty runs io_uring with multishot polls (see {@link #AUTO}).
     */
    IO_URING;

    /**
     * Whether a client can run on this transport here: always for {@link #AUTO} and {@link #NIO}; for {@link #EPOLL}
     * and {@link #IO_URING}, whether Netty can load them on this machine (operating system, kernel, architecture and
     * security settings). Creating a client with an unavailable transport fails and says why.
     *
     * @return whether this transport is usable in this JVM
     */
    public boolean isAvailable() {
        return Transports.isAvailable(this);
    }
}
