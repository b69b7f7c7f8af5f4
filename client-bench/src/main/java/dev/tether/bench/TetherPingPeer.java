/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.ConnectionListener;
import dev.tether.DisconnectedEvent;
import dev.tether.TetherClient;
import dev.tether.Transport;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tether with the README's defaults (its own I/O thread, {@link Transport#AUTO}, {@code Framing.lines}, the UTF-8
 * codec), a new client for each run, in one of three ways a user writes a request-response client:
 *
 * <ul>
 *   <li>{@code tether-handler}: the {@code MessageHandler} checks the echo and sends the next ping itself, on the I/O
 *       thread; the calling thread only waits for the end of the run.
 *   <li>{@code tether-future}: the calling thread sends a ping and waits on a {@code CompletableFuture} that the
 *       handler completes with the echo; each round trip wakes the caller once.
 *   <li>{@code tether-receive}: no handler; the calling thread sends a ping and takes the echo with {@code
 *       receive(Duration)} from the inbox.
 * </ul>
 */
final class TetherPingPeer implements PingPeer {
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Transport transport;

    private TetherPingPeer(String name, Transport transport) {
        this.name = name;
        this.transport = transport;
    }

    static TetherPingPeer handler(Transport transport) {
        return new TetherPingPeer("tether-handler", transport);
    }

    static TetherPingPeer future(Transport transport) {
        return new TetherPingPeer("tether-future", transport);
    }

    static TetherPingPeer receive(Transport transport) {
        return new TetherPingPeer("tether-receive", transport);
    }

    /**
     * Returns the transport {@link Transport#AUTO} picks here, as a client's own I/O thread runs on it; {@code port}
     * is only for the config, nothing connects.
     */
    static Transport autoTransport(int port) {
        try (TetherClient<String> client = TetherClient.create(
                ClientConfig.builder().remoteAddress("127.0.0.1", port).build())) {
            return client.transport();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String transport() {
        return transport.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public long[] pingPong(int port, int warmup, int roundTrips) throws Exception {
        ClientConfig.Builder<String> config =
                ClientConfig.builder().remoteAddress("127.0.0.1", port).name("bench-" + name);
        return switch (name) {
            case "tether-handler" -> relayed(config, warmup, roundTrips);
            case "tether-future" -> awaited(config, warmup, roundTrips);
            default -> received(config.build(), warmup, roundTrips);
        };
    }

    private long[] relayed(ClientConfig.Builder<String> config, int warmup, int roundTrips) throws Exception {
        RoundTrips.Relay relay = new RoundTrips.Relay(name, warmup, roundTrips);
        config.handler((connection, echo) -> {
                    String next = relay.next(echo);
                    if (next != null) {
                        connection.send(next);
                    }
                })
                .listener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(DisconnectedEvent event) {
                        relay.fail(event.cause()); // the run is over unless every echo came back
                    }
                });
        try (TetherClient<String> client = TetherClient.create(config.build())) {
            Connection<String> connection = connect(client);
            connection.send(relay.first()); // the send hands the relay to the I/O thread, which owns it from here
            return relay.done().get(5, TimeUnit.MINUTES);
        }
    }

    private long[] awaited(ClientConfig.Builder<String> config, int warmup, int roundTrips) throws Exception {
        AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();
        config.handler((connection, echo) -> pending.get().complete(echo));
        try (TetherClient<String> client = TetherClient.create(config.build())) {
            Connection<String> connection = connect(client);
            return RoundTrips.play(name, warmup, roundTrips, ping -> {
                CompletableFuture<String> echo = new CompletableFuture<>();
                pending.set(echo); // before the send, so the handler finds it
                connection.send(ping);
                return echo.get(ECHO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            });
        }
    }

    private long[] received(ClientConfig<String> config, int warmup, int roundTrips) throws Exception {
        try (TetherClient<String> client = TetherClient.create(config)) {
            Connection<String> connection = connect(client);
            return RoundTrips.play(name, warmup, roundTrips, ping -> {
                connection.send(ping);
                return connection
                        .receive(ECHO_TIMEOUT)
                        .orElseThrow(() -> new IllegalStateException(name + ": no echo within "
                                + ECHO_TIMEOUT.toSeconds() + " s, open: " + connection.isOpen()));
            });
        }
    }

    private Connection<String> connect(TetherClient<String> client) throws Exception {
        if (client.transport() != transport) {
            throw new IllegalStateException(name + " runs on " + client.transport() + ", expected " + transport);
        }
        return client.connect().get(10, TimeUnit.SECONDS);
    }
}
