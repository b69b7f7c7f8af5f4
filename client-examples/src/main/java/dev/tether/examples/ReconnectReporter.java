/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.ConnectFailedException;
import dev.tether.ConnectedEvent;
import dev.tether.ConnectionListener;
import dev.tether.DisconnectedEvent;
import dev.tether.GaveUpEvent;
import dev.tether.ReconnectScheduledEvent;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Prints the life of a reconnecting connection, one line per event, and remembers whether the reconnect policy gave
 * up, so that an example can exit 1 with the reason:
 *
 * <pre>
 * connected to 127.0.0.1:9200
 * disconnected: connection tail#1 to 127.0.0.1:9200 was closed by the peer
 * reconnect attempt 1 in 61 ms
 * reconnect attempt 2 in 152 ms (connect to 127.0.0.1:9200 failed: Connection refused)
 * gave up after 4 reconnect attempts
 * </pre>
 *
 * <p>A failed attempt is shown with the next attempt; a lost connection is shown by its own line.
 */
final class ReconnectReporter implements ConnectionListener {
    private final PrintWriter log;
    // written on the connection's I/O thread before its futures complete; read after that by the waiting thread
    private volatile String gaveUp;

    /** Creates a reporter that prints to {@code log}, which must flush each line (stderr, for example). */
    ReconnectReporter(PrintWriter log) {
        this.log = log;
    }

    @Override
    public void onConnected(ConnectedEvent event) {
        log.println("connected to " + hostAndPort(event.remoteAddress()));
    }

    @Override
    public void onDisconnected(DisconnectedEvent event) {
        log.println("disconnected: " + event.cause().getMessage());
    }

    @Override
    public void onReconnectScheduled(ReconnectScheduledEvent event) {
        // after a lost connection the cause was just printed as "disconnected"; a failed attempt has no line yet
        String failed = event.cause() instanceof ConnectFailedException
                ? " (" + event.cause().getMessage() + ")"
                : "";
        log.println(
                "reconnect attempt " + event.attempt() + " in " + event.delay().toMillis() + " ms" + failed);
    }

    @Override
    public void onGaveUp(GaveUpEvent event) {
        String attempts = event.attempts() + " reconnect attempt" + (event.attempts() == 1 ? "" : "s");
        log.println("gave up after " + attempts);
        gaveUp = "gave up reconnecting to " + hostAndPort(event.connection().remoteAddress()) + " after " + attempts
                + " (last cause: " + event.lastCause().getMessage() + ")";
    }

    /** Returns why the reconnect policy gave up, in one line; empty if it did not. */
    Optional<String> gaveUp() {
        return Optional.ofNullable(gaveUp);
    }

    private static String hostAndPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
