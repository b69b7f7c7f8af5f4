/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionListener;
import dev.tether.DisconnectedEvent;
import java.util.Optional;

/**
 * Remembers why a connection closed, so that an example can tell a server that finished (exit 0) from a connection
 * that broke (exit 1).
 */
final class DisconnectWatcher implements ConnectionListener {
    // written on the connection's I/O thread before its closeFuture() completes; read after that by the main thread
    private volatile ConnectionClosedException reason;

    @Override
    public void onDisconnected(DisconnectedEvent event) {
        reason = event.cause();
    }

    /** Returns what broke the connection; empty if it is open or was closed cleanly by either side. */
    Optional<ConnectionClosedException> failure() {
        ConnectionClosedException closed = reason;
        return closed != null && closed.reason() == ConnectionClosedException.Reason.FAILURE
                ? Optional.of(closed)
                : Optional.empty();
    }
}
