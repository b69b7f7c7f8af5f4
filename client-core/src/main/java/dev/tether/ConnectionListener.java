/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Receives the lifecycle events of every connection a client opens.
 *
 * <p>Each method has a no-op default, so implement only what you need. For every event, the specific method is
 * called first and then {@link #onEvent(ConnectionEvent)}. Calls for one connection come from its I/O thread, one
 * at a time, in order, and must not block. One listener serves every connection of its client, and connections on
 * different I/O threads call it at the same time: make it thread-safe. An exception thrown by a listener is logged
 * at WARN with the connection's id; the client carries on.
 *
 * <pre>{@code
 * ConnectionListener listener = new ConnectionListener() {
 *     public void onDisconnected(Connection<?> connection, ConnectionClosedException cause) {
 *         log.warn("lost {}: {}", connection.id(), cause.getMessage());
 *     }
 * };
 * }</pre>
 *
 * @since 0.1
 */
public interface ConnectionListener {
    /** A listener that ignores every event. */
    ConnectionListener NONE = new ConnectionListener() {};

    /**
     * A channel to the server is open and ready for sends.
     *
     * @param connection the connection
     */
    default void onConnected(Connection<?> connection) {}

    /**
     * The channel closed. Sends in flight on it have failed with {@code cause}; the reconnect policy decides what
     * follows.
     *
     * @param connection the connection
     * @param cause who closed the channel and why; never {@code null}
     */
    default void onDisconnected(Connection<?> connection, ConnectionClosedException cause) {}

    /**
     * The next connection attempt is scheduled, after a failed attempt or a lost connection.
     *
     * @param event the attempt number, delay, cause and address
     */
    default void onReconnectScheduled(ReconnectScheduledEvent event) {}

    /**
     * The reconnect policy gave up; {@link #onClosed(Connection)} follows.
     *
     * @param event how many attempts failed, and the last cause
     */
    default void onGaveUp(GaveUpEvent event) {}

    /**
     * An inbound frame was dropped; the connection carries on.
     *
     * @param connection the connection
     * @param cause a {@link FrameTooLongException} or a {@link MalformedFrameException}
     */
    default void onFrameDropped(Connection<?> connection, ClientException cause) {}

    /**
     * Terminal: the connection is closed for good. Called exactly once for every connection {@link
     * TetherClient#connect()} made, whether it ever opened or not (a refused first connect, a close during the
     * first connect or during a retry wait). Nothing is called for this connection after this method.
     *
     * @param connection the connection
     */
    default void onClosed(Connection<?> connection) {}

    /**
     * Receives every event, after its specific method; the place for logging or metrics.
     *
     * @param event the event
     */
    default void onEvent(ConnectionEvent event) {}
}
