/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Where a {@link Connection} is in its life.
 *
 * @since 0.1
 */
public enum ConnectionState {
    /** The first connection attempt is under way; nothing can be sent yet. */
    CONNECTING,
    /** A channel is open; sends are written to it. */
    CONNECTED,
    /** The channel was lost and the reconnect policy is trying to restore it. */
    RECONNECTING,
    /** Terminal: the connection was closed by the application, the peer, or an error, and will not come back. */
    CLOSED
}
