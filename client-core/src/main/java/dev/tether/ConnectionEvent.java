/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Something that happened to a connection; every event reaches {@link ConnectionListener#onEvent(ConnectionEvent)}.
 *
 * <p>New kinds of event may be added in later releases, so a {@code switch} over events should have a default
 * branch.
 *
 * @since 0.1
 */
public sealed interface ConnectionEvent
        permits ConnectedEvent,
                DisconnectedEvent,
                ReconnectScheduledEvent,
                GaveUpEvent,
                FrameDroppedEvent,
                ClosedEvent {
    /**
     * Returns the connection this event is about.
     *
     * @return the connection
     */
    Connection<?> connection();
}
