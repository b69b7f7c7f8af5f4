/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * The reconnect policy gave up; the connection closes next, and {@link ClosedEvent} follows.
 *
 * @param connection the connection
 * @param attempts how many reconnect attempts the outage made, none of which led to a stable link (see {@link
 *     ConnectionListener} on attempts)
 * @param lastCause the last failure
 * @since 0.1
 */
public record GaveUpEvent(Connection<?> connection, int attempts, ClientException lastCause)
        implements ConnectionEvent {}
