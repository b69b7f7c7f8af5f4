/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.net.InetSocketAddress;

/**
 * A channel to the server is open and ready for sends (the on-connect hook, if any, runs next).
 *
 * @param connection the connection that connected
 * @param remoteAddress the resolved address of the server it reached
 * @param attempt the reconnect attempt that reached it: 0 without a retry, else the retry's number in its outage
 *     (see {@link ConnectionListener} on attempts)
 * @since 0.1
 */
public record ConnectedEvent(Connection<?> connection, InetSocketAddress remoteAddress, int attempt)
        implements ConnectionEvent {}
