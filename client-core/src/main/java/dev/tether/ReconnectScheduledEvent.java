/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A connection attempt failed or the connection was lost, and the next attempt is scheduled.
 *
 * @param connection the connection
 * @param attempt the number of the scheduled reconnect attempt in its outage, from 1; it resets after a stable
 *     connection (see {@link ConnectionListener} on attempts)
 * @param delay how long until it starts
 * @param cause why: the failed attempt's {@link ConnectFailedException} or the loss's {@link ConnectionClosedException}
 * @param nextAddress the (unresolved) address the attempt will try
 * @since 0.1
 */
public record ReconnectScheduledEvent(
        Connection<?> connection, int attempt, Duration delay, ClientException cause, InetSocketAddress nextAddress)
        implements ConnectionEvent {}
