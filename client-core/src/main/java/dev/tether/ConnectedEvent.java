/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.net.InetSocketAddress;

/**
 * A channel to the server is open and ready for sends.
 *
 * @param connection the connection that connected
 * @param remoteAddress the resolved address of the server
 * @since 0.1
 */
public record ConnectedEvent(Connection<?> connection, InetSocketAddress remoteAddress) implements ConnectionEvent {}
