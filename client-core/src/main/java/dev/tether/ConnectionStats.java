/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one connection, from {@link Connection#stats()}: its counts since it was created, over every
 * channel it opened, and its state now.
 *
 * <pre>{@code
 * ConnectionStats stats = connection.stats();
 * log.info("{} messages in, {} waiting, {} reconnects", stats.messagesReceived(), stats.inboxMessages(),
 *         stats.reconnects());
 * }</pre>
 *
 * @since 0.1
 */
public interface ConnectionStats extends Stats {
    /** {@return the connection's {@linkplain Connection#id() id}} */
    String connectionId();

    /** {@return the connection's state when the snapshot was taken} */
    ConnectionState state();

    /** {@return when the current channel connected (its on-connect hook passed); empty while not connected} */
    Optional<Instant> connectedSince();

    /** {@return the server's address, as {@link Connection#remoteAddress()} gives it} */
    InetSocketAddress remoteAddress();

    /** {@return the transport the connection's sockets run on; never {@link Transport#AUTO}} */
    Transport transport();
}
