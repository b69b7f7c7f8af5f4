/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import dev.tether.internal.DefaultTetherClient;
import dev.tether.tls.TlsProvider;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The entry point: opens connections to the server a {@link ClientConfig} names.
 *
 * <p>A client owns its I/O threads (unless the config passes in an event-loop group) and every connection it
 * opened. Create one per configuration and close it when done; its threads are daemon threads, but only
 * {@link #close()} releases them promptly and in order. All methods are thread-safe: one client may be shared by
 * any number of threads.
 *
 * <pre>{@code
 * ClientConfig<String> config = ClientConfig.builder()
 *         .remoteAddress("127.0.0.1", 9000)
 *         .framing(Framing.lines(8 * 1024))
 *         .build();
 * try (TetherClient<String> client = TetherClient.create(config)) {
 *     Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
 *     connection.send("HELLO").join();
 * }
 * }</pre>
 *
 * @param <T> the message type: {@code String} for a text codec, {@code byte[]} for the bytes codec
 * @since 0.1
 */
public interface TetherClient<T> extends AutoCloseable {
    /**
     * Creates a client; opens nothing until {@link #connect()}.
     *
     * @param config the settings
     * @param <T> the message type of the config's codec
     * @return a new client
     */
    static <T> TetherClient<T> create(ClientConfig<T> config) {
        return new DefaultTetherClient<>(config);
    }

    /**
     * Opens a new connection to the configured address.
     *
     * <p>The host name is resolved at each attempt. The future completes once connected and the on-connect hook,
     * if any, is done. By default the first attempt fails fast: the future fails with a
     * {@link ConnectFailedException} naming the address when the host is unknown, the connection is refused, or it
     * does not complete within the connect timeout. With {@link ClientConfig.Builder#retryInitialConnect(boolean)}
     * it retries under the reconnect policy and fails only when the policy gives up. Once connected, the
     * connection reconnects by itself after a loss. Each call opens a connection of its own.
     *
     * <p>Calling it on a closed client is a caller mistake, so it throws at once rather than returning a failed
     * future; a connection, by contrast, can close under a sender at any time, so a send on a closed connection
     * fails its future with {@link ConnectionClosedException} instead (see {@link Connection#send(Object)}).
     *
     * @return a future completed with the open connection
     * @throws IllegalStateException if the client is closed ({@link #close()} or {@link #closeAsync()} was called)
     */
    CompletableFuture<Connection<T>> connect();

    /**
     * Returns the settings this client was created with.
     *
     * @return the config
     */
    ClientConfig<T> config();

    /**
     * Returns the transport the client's sockets run on: what {@link Transport#AUTO} resolved to, or the transport
     * asked for, or that of the caller's event-loop group; never {@code AUTO}.
     *
     * @return the transport in use
     */
    Transport transport();

    /**
     * Returns the TLS implementation the client's connections use: what {@link TlsProvider#AUTO} resolved to, or the
     * provider asked for; empty when the client does not use TLS.
     *
     * @return the TLS provider in use, if any
     */
    Optional<TlsProvider> tlsProvider();

    /**
     * Returns a snapshot of the client: the counts of every connection it has opened, closed ones included, the
     * levels of those still open, and how many are. Cheap; callable from any thread, also after the close.
     *
     * @return the snapshot
     */
    ClientStats stats();

    /**
     * Tells whether {@link #close()} or {@link #closeAsync()} was called.
     *
     * @return {@code true} once closing has started
     */
    boolean isClosed();

    /**
     * Closes every connection, then releases the I/O threads if the client created them; idempotent.
     *
     * <p>Each connection stops reading, writes the sends it accepted and closes cleanly, within the
     * {@linkplain ClientConfig#closeTimeout() close timeout} (as {@link Connection#drain(java.time.Duration)} does,
     * except that it does not wait for anyone to take the messages in the inbox: they stay receivable);
     * each one's {@link ConnectionListener#onClosed(ClosedEvent)} is called once. An event-loop group passed in
     * through the config is left running. From the first call on, {@link #connect()} throws
     * {@link IllegalStateException}, and sends on the client's connections fail with
     * {@link ConnectionClosedException}.
     *
     * @return a future completed when everything is released; the same instance on every call
     */
    CompletableFuture<Void> closeAsync();

    /**
     * Calls {@link #closeAsync()} and waits for it, bounded by the close timeout plus a margin. Afterwards
     * {@link #connect()} throws {@link IllegalStateException}, and sends fail with {@link ConnectionClosedException}.
     *
     * @throws IllegalStateException if called on one of the client's I/O threads
     * @throws ClientException if the close did not finish in time
     */
    @Override
    void close();
}
