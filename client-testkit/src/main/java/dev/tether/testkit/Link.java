/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection through a {@link FaultProxy}: the client's socket, the proxy's socket to the target, and a
 * {@link Direction} each way, whose threads are named {@code <name>-down-*} (to the client) and {@code <name>-up-*}.
 */
final class Link {
    private final FaultProxy proxy;
    private final Faults faults;
    private final Socket client;
    private final Socket server;
    private final String name;
    private final int number;
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private long deliveredToClient; // written by the downstream writer only
    private volatile boolean ended;

    Link(FaultProxy proxy, Faults faults, Socket client, Socket server, int number) {
        this.proxy = proxy;
        this.faults = faults;
        this.client = client;
        this.server = server;
        this.number = number;
        this.name = proxy.name() + "-link-" + number;
    }

    void start() {
        start(new Direction(this, faults, server, client, true, number), name + "-down");
        start(new Direction(this, faults, client, server, false, number), name + "-up");
    }

    private void start(Direction direction, String directionName) {
        proxy.startThread(directionName + "-read", direction::readLoop);
        proxy.startThread(directionName + "-write", direction::writeLoop);
    }

    /** Returns whether the link is closed. */
    boolean ended() {
        return ended;
    }

    /** Returns how many more bytes this link may deliver to the client: {@code Long.MAX_VALUE} for no limit. */
    long allowedToClient() {
        return faults.allowedToClient(deliveredToClient);
    }

    /** Counts {@code length} bytes delivered to the client; called by the downstream writer only. */
    void deliveredToClient(int length) {
        deliveredToClient += length;
        proxy.deliveredToClient(length);
    }

    /** Called when one direction has delivered everything up to the sender's FIN. */
    void directionDone() {
        if (openDirections.decrementAndGet() == 0) {
            close(false);
        }
    }

    /** Closes both sockets; {@code reset} sends the client an RST instead of a FIN. Idempotent. */
    synchronized void close(boolean reset) {
        if (ended) {
            return;
        }
        ended = true;
        proxy.closed(this);
        if (reset) {
            Sockets.abort(client);
            Sockets.abort(server);
        } else {
            Sockets.closeQuietly(client);
            Sockets.closeQuietly(server);
        }
        faults.wakeAll(); // a writer waiting on a hold stops waiting
    }
}
