/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Receives the lifecycle events of every connection a client opens.
 *
 * <p>Every method takes its event record, and has a no-op default, so implement only what you need. For every
 * event, the specific method is called first and then {@link #onEvent(ConnectionEvent)}. Calls for one connection
 * come from its I/O thread, one at a time, in order, and must not block. One listener serves every connection of its
 * client, and connections on different I/O threads call it at the same time: make it thread-safe. An exception
 * thrown by a listener is logged at WARN with the connection's id; the client carries on.
 *
 * <p><b>Attempts.</b> Events count <em>reconnect attempts</em>, as {@link dev.tether.reconnect.ReconnectPolicy} does:
 * attempt 1 is the first connect after a failed one or after a lost link, and the count runs on through one outage
 * until a link stays up for the policy's {@code resetAfter}. A connection's first connect is attempt 0. So {@link
 * ConnectedEvent#attempt()} is 0 when the link came up without a retry, {@link ReconnectScheduledEvent#attempt()}
 * numbers the retry it schedules, and {@link GaveUpEvent#attempts()} is how many retries the outage made.
 *
 * <pre>{@code
 * ConnectionListener listener = new ConnectionListener() {
 *     public void onDisconnected(DisconnectedEvent event) {
 *         log.warn("lost {}: {}", event.connection().id(), event.cause().getMessage());
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
     * A channel to the server is open; the on-connect hook, if any, runs next, then sends flow.
     *
     * @param event the connection, the address it reached, and the attempt that reached it
     */
    default void onConnected(ConnectedEvent event) {}

    /**
     * The channel closed. Sends in flight on it have failed with the event's cause; the reconnect policy decides what
     * follows.
     *
     * @param event the connection, and who closed the channel and why
     */
    default void onDisconnected(DisconnectedEvent event) {}

    /**
     * The next connect attempt is scheduled, after a failed attempt or a lost connection.
     *
     * @param event the attempt number, delay, cause and address
     */
    default void onReconnectScheduled(ReconnectScheduledEvent event) {}

    /**
     * The reconnect policy gave up; {@link #onClosed(ClosedEvent)} follows.
     *
     * @param event how many reconnect attempts the outage made, and the last cause
     */
    default void onGaveUp(GaveUpEvent event) {}

    /**
     * An inbound frame was dropped; the connection carries on.
     *
     * @param event the connection, and a {@link FrameTooLongException} or a {@link MalformedFrameException}
     */
    default void onFrameDropped(FrameDroppedEvent event) {}

    /**
     * Terminal: the connection is closed for good. Called exactly once for every connection {@link
     * TetherClient#connect()} made, whether it ever opened or not (a refused first connect, a close during the
     * first connect or during a retry wait). Nothing is called for this connection after this method.
     *
     * @param event the connection
     */
    default void onClosed(ClosedEvent event) {}

    /**
     * Receives every event, after its specific method; the place for logging or metrics.
     *
     * @param event the event
     */
    default void onEvent(ConnectionEvent event) {}
}
