/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClosedEvent;
import dev.tether.ConnectedEvent;
import dev.tether.ConnectionEvent;
import dev.tether.ConnectionListener;
import dev.tether.DisconnectedEvent;
import dev.tether.FrameDroppedEvent;
import dev.tether.GaveUpEvent;
import dev.tether.ReconnectScheduledEvent;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every place that calls the user's code, or waits on a stage, does with what comes back. */
final class Callbacks {
    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private Callbacks() {}

    /**
     * Tells {@code listener} of {@code event}: its own method, then {@link ConnectionListener#onEvent}. A listener
     * that throws is logged at WARN with the connection's id, and the caller carries on.
     */
    static void fire(ConnectionListener listener, ConnectionEvent event, String connectionId) {
        try {
            if (event instanceof ConnectedEvent e) {
                listener.onConnected(e);
            } else if (event instanceof DisconnectedEvent e) {
                listener.onDisconnected(e);
            } else if (event instanceof ReconnectScheduledEvent e) {
                listener.onReconnectScheduled(e);
            } else if (event instanceof GaveUpEvent e) {
                listener.onGaveUp(e);
            } else if (event instanceof FrameDroppedEvent e) {
                listener.onFrameDropped(e);
            } else if (event instanceof ClosedEvent e) {
                listener.onClosed(e);
            }
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.warn("connection {}: listener threw on {}; carrying on", connectionId, name(event), t);
        }
        try {
            listener.onEvent(event);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.warn("connection {}: listener threw in onEvent({}); carrying on", connectionId, name(event), t);
        }
    }

    private static String name(ConnectionEvent event) {
        return event.getClass().getSimpleName();
    }

    /**
     * Rethrows an error the JVM cannot carry on after ({@link VirtualMachineError}: out of memory, stack overflow);
     * anything else thrown by user code is logged by the caller, which carries on.
     */
    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
    }

    /** Returns what a stage failed with: the cause of a {@link CompletionException}, else the error itself. */
    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
