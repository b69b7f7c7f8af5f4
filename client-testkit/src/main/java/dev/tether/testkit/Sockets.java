/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;

/** Closing sockets, for {@link FaultProxy} and its links: never throws, since the peer is gone either way. */
final class Sockets {
    private Sockets() {}

    /** Closes {@code socket} with an RST instead of a FIN. */
    static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close() then sends RST
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    /** Closes {@code closeable}, if there is one, ignoring failures. */
    static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
