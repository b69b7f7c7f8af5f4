/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Where a metrics library plugs into a client, without client-core depending on it: set one with
 * {@link ClientConfig.Builder#metrics(MetricsRecorder)}. {@code client-micrometer}'s {@code TetherMetrics} is one.
 *
 * <p>Two kinds of signal, chosen for the fast path's sake. Volumes (messages, bytes, drops, disconnects by cause)
 * and levels (inbox depth, buffered sends) are counted by the client anyway for {@link TetherClient#stats()}: a
 * recorder reads them when it is scraped, from the client it is given in {@link #clientCreated(TetherClient)},
 * and nothing is called per message. Connect attempts, which are rare and have a duration, are pushed: each one is
 * announced with {@link #connectStarted}, and the {@link ConnectAttempt} returned hears its phases and its end.
 *
 * <p>{@link #clientCreated} is called on the thread that creates the client, {@link #clientClosed} on the thread that
 * completes its close (an I/O thread, or the one that shut them down), connect attempts on the connection's I/O
 * thread: every method must return quickly without blocking. A recorder that throws about an attempt is logged once
 * and told of no attempt afterwards; the connection carries on. Creation and close are always reported. Every method
 * has a default that does nothing.
 *
 * @since 0.1
 */
public interface MetricsRecorder {
    /** Records nothing; the default. */
    MetricsRecorder NONE = new MetricsRecorder() {};

    /**
     * A client with this recorder was created, before it opens anything: the moment to register meters that read
     * {@link TetherClient#stats()} (and so {@link TetherClient#config() its name}).
     *
     * @param client the new client
     */
    default void clientCreated(TetherClient<?> client) {}

    /**
     * The client closed: its connections are closed and its stats final.
     *
     * @param client the closed client
     */
    default void clientClosed(TetherClient<?> client) {}

    /**
     * A connect attempt starts, the first of a connection or a reconnect; it starts in {@link Phase#RESOLVE}.
     *
     * @param clientName the {@linkplain ClientConfig#name() name} of the connection's client
     * @param connection the connection making the attempt
     * @param endpoint the server the attempt goes to, unresolved
     * @return what hears this attempt's phases and end; {@link ConnectAttempt#NONE} to ignore them
     */
    default ConnectAttempt connectStarted(String clientName, Connection<?> connection, InetSocketAddress endpoint) {
        return ConnectAttempt.NONE;
    }

    /**
     * One connect attempt: told when each phase starts (each ends the one before), then exactly once how it ended.
     *
     * @since 0.1
     */
    interface ConnectAttempt {
        /** Hears nothing. */
        ConnectAttempt NONE = new ConnectAttempt() {};

        /**
         * The attempt enters {@code phase}, which ends the phase it was in.
         *
         * @param phase the new phase
         */
        default void phase(Phase phase) {}

        /** The attempt succeeded: connected, handshaken, the on-connect hook passed. */
        default void succeeded() {}

        /**
         * The attempt failed, in the phase it was in.
         *
         * @param error why: a {@link ConnectFailedException}, or a {@link ConnectionClosedException} when the
         *     on-connect hook failed or the application closed the connection meanwhile
         */
        default void failed(Throwable error) {}
    }

    /**
     * The phases of a connect attempt, in order; an attempt skips those it does not need.
     *
     * @since 0.1
     */
    enum Phase {
        /** Resolving the host name (and, with TLS, reading the certificate files when they changed). */
        RESOLVE,
        /** The TCP connect, to the server or the proxy. */
        TCP,
        /** The proxy's handshake. */
        PROXY,
        /** The TLS handshake. */
        TLS,
        /** The on-connect hook. */
        HOOK;

        /** {@return the name in lower case: {@code resolve}, {@code tcp}, {@code proxy}, {@code tls}, {@code hook}} */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
