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
     * The default: native epoll where it is available (Linux), else NIO. The transport chosen is logged at DEBUG and
     * returned by {@link TetherClient#transport()}. io_uring is not chosen automatically: in our tests a peer's reset
     * sometimes went unnoticed on it for seconds, which a client that must notice dead peers cannot afford.
     */
    AUTO,
    /** Java NIO: works everywhere. */
    NIO,
    /** Native epoll (Linux only); enables {@code TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable. */
    EPOLL,
    /**
     * Native io_uring (Linux 5.14 or later, where the kernel and its security settings allow it); enables
     * {@code TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable, with the reason. Experimental: in our
     * tests on it, a reset from the peer was sometimes noticed only after more than ten seconds (two reset tests
     * failed in about half of the runs), so do not rely on it to detect dead peers quickly.
     */
    IO_URING
}
