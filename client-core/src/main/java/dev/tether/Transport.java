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
    /** The native epoll transport where it is available (Linux), otherwise NIO; the default. */
    AUTO,
    /** Java NIO: works everywhere. */
    NIO,
    /** Native epoll (Linux only); enables {@code TCP_USER_TIMEOUT}. Creating a client fails where it is unavailable. */
    EPOLL
}
