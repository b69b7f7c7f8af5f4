/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.ClientConfig;
import dev.tether.ConnectionListener;
import dev.tether.DisconnectedEvent;
import dev.tether.TetherClient;
import dev.tether.Transport;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Tether as its users configure it for a stream: the default reconnect policy and a read timeout stay in the
 * pipeline, messages go to a handler (one call per message) or a batch handler (one call per read). Strings through
 * the text codec, or bytes through the bytes codec.
 *
 * <p>In-process, every run shares one I/O thread on the given transport, as a long-lived consumer has and as the other
 * Netty-based peers have. As a newcomer ({@link #newcomer()}), each run's client creates its own group on
 * {@link Transport#AUTO}, as the README's defaults do, and the row is labelled with the transport AUTO picked.
 *
 * <p>{@code tether-stats} and {@code tether-metrics} are the strings handler with a {@link StatsWatcher} reading the
 * client's statistics on another thread during each run.
 *
 * <p>Over TLS, with {@link ClientConfig.Builder#tls} on the benchmark's trust store and provider; each run checks that
 * the client uses the provider asked for.
 */
final class TetherPeer<T> implements Peer {
    private final String name;
    private final Transport transport;
    private final Codec<T> codec;
    private final ToIntFunction<T> length;
    private final boolean batches;
    private final EventLoopGroup group; // null: each client creates its own
    private final BenchTls.Client tls; // null: plain TCP
    private final StatsWatcher.Kind watch;
    private volatile Transport resolved; // what the last client ran on; written by the runner's thread

    private TetherPeer(
            String name,
            Transport transport,
            boolean newcomer,
            Codec<T> codec,
            ToIntFunction<T> length,
            boolean batches,
            BenchTls.Client tls,
            StatsWatcher.Kind watch) {
        this.name = name;
        this.tls = tls;
        this.watch = watch;
        this.transport = newcomer ? Transport.AUTO : transport;
        this.codec = codec;
        this.length = length;
        this.batches = batches;
        this.group = newcomer ? null : sharedGroup(name, transport);
        this.resolved = this.transport;
    }

    static TetherPeer<String> strings(Transport transport) {
        return strings(transport, false);
    }

    static TetherPeer<String> strings(Transport transport, boolean newcomer) {
        return strings(transport, newcomer, null);
    }

    /** Strings to a handler, over TLS with {@code tls}, or over plain TCP if it is null. */
    static TetherPeer<String> strings(Transport transport, boolean newcomer, BenchTls.Client tls) {
        return new TetherPeer<>(
                "tether-strings",
                transport,
                newcomer,
                Codec.utf8(),
                String::length,
                false,
                tls,
                StatsWatcher.Kind.NONE);
    }

    /**
     * Strings to a handler while another thread reads the client's statistics: {@code tether-stats} reads
     * {@code stats()} every 100 ms, {@code tether-metrics} scrapes a Prometheus registry bound with TetherMetrics every
     * second. Each run also checks that {@code stats()} counted the messages the handler did.
     */
    static TetherPeer<String> watched(Transport transport, boolean newcomer, StatsWatcher.Kind watch) {
        String name = watch == StatsWatcher.Kind.METRICS ? "tether-metrics" : "tether-stats";
        return new TetherPeer<>(name, transport, newcomer, Codec.utf8(), String::length, false, null, watch);
    }

    static TetherPeer<byte[]> bytes(Transport transport) {
        return bytes(transport, false);
    }

    static TetherPeer<byte[]> bytes(Transport transport, boolean newcomer) {
        return new TetherPeer<>(
                "tether-bytes",
                transport,
                newcomer,
                Codec.bytes(),
                bytes -> bytes.length,
                false,
                null,
                StatsWatcher.Kind.NONE);
    }

    static TetherPeer<String> batches(Transport transport, boolean newcomer) {
        return new TetherPeer<>(
                "tether-batch", transport, newcomer, Codec.utf8(), String::length, true, null, StatsWatcher.Kind.NONE);
    }

    /** The one I/O thread an in-process Tether peer's runs share. */
    static EventLoopGroup sharedGroup(String name, Transport transport) {
        return NettyPeer.group(1, "bench-" + name, transport);
    }

    /** Returns {@code transport} as a row shows it: {@code nio}, {@code epoll}, {@code io_uring} or {@code auto}. */
    static String label(Transport transport) {
        return transport.name().toLowerCase(Locale.ROOT);
    }

    static Framing framing(Workload workload) {
        return workload.format() == Workload.Format.LINES
                ? Framing.lines(Workload.MAX_FRAME)
                : Framing.lengthField(4, Workload.MAX_FRAME);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String transport() {
        return label(resolved);
    }

    @Override
    public String tls() {
        return tls == null ? "" : tls.label();
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        long[] counted = new long[2]; // messages, payload bytes: touched on the I/O thread only
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        ClientConfig.Builder<T> builder = ClientConfig.builder(codec)
                .remoteAddress(BenchTls.HOST, port)
                .name("bench-tether")
                .framing(framing(workload))
                .idle(IdlePolicy.readTimeout(Duration.ofSeconds(30))) // the default reconnect policy stays too
                .listener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(DisconnectedEvent event) {
                        event.connection().closeAsync(); // the feed is over: no reconnect
                        serverClosed.complete(null);
                    }
                });
        if (tls != null) {
            builder.tls(tls.tether());
        }
        if (group != null) {
            builder.eventLoopGroup(group);
        } // else the README's default: the client's own group, on Transport.AUTO
        if (batches) {
            builder.batchHandler((connection, batch) -> {
                counted[0] += batch.size();
                for (T message : batch) {
                    counted[1] += length.applyAsInt(message);
                }
            });
        } else {
            builder.handler((connection, message) -> {
                counted[0]++;
                counted[1] += length.applyAsInt(message);
            });
        }
        StatsWatcher watcher = StatsWatcher.prepare(watch, builder);
        try (watcher;
                TetherClient<T> client = TetherClient.create(builder.build())) {
            resolved = client.transport();
            watcher.start(watch, client);
            if (tls != null && !client.tlsProvider().equals(Optional.of(tls.provider()))) {
                throw new IllegalStateException(
                        name + " asked for TLS on " + tls.provider() + " and uses " + client.tlsProvider());
            }
            long start = System.nanoTime();
            watcher.connected(client.connect().get(10, TimeUnit.SECONDS));
            serverClosed.get(5, TimeUnit.MINUTES);
            long took = System.nanoTime() - start;
            Peer.verify(name, workload, messages, counted[0], counted[1]);
            if (watch != StatsWatcher.Kind.NONE) {
                StatsWatcher.verify(name, workload, counted[0], client.stats().messagesReceived());
            }
            return took;
        }
    }

    @Override
    public void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
