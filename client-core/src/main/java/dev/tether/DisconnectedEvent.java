/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * The channel to the server closed; the cause says who closed it and why.
 *
 * @param connection the connection that lost its channel
 * @param cause why: closed by the application, by the peer, reset, or a protocol error; never {@code null}
 * @since 0.1
 */
public record DisconnectedEvent(Connection<?> connection, ConnectionClosedException cause) implements ConnectionEvent {}
