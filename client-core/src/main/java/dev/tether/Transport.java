/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * The Netty transport a client's sockets run on.
 *
 * @since 0.1
 */
public enum Transport {
    /**
     * The best transport available here, the default: native io_uring where the kernel allows it (Linux 5.14 or
     * later, not blocked by seccomp), else native epoll (Linux), else NIO. The transport chosen is logged at DEBUG
     * and returned by {@link TetherClient#transport()}.
     */
    AUTO,
    /** Java NIO: works everywhere. */
    NIO,
    /** Native epoll (Linux only); enables {@code TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable. */
    EPOLL,
    /**
     * Native io_uring (Linux 5.14 or later, where the kernel and its security settings allow it); enables
     * {@code TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable, with the reason.
     */
    IO_URING
}
