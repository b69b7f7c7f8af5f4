/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionListener;
import dev.tether.TetherClient;
import dev.tether.Transport;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Tether as its users configure it for a stream: the default reconnect policy and a read timeout stay in the
 * pipeline, messages go to a handler. Strings through the text codec, or bytes through the bytes codec.
 */
final class TetherPeer<T> implements Peer {
    private final String name;
    private final Transport transport;
    private final Codec<T> codec;
    private final ToIntFunction<T> length;
    // one I/O thread for every run, as a long-lived consumer has, and as the other Netty-based peers have
    private final EventLoopGroup group;

    private TetherPeer(String name, Transport transport, Codec<T> codec, ToIntFunction<T> length) {
        this.name = name;
        this.transport = transport;
        this.codec = codec;
        this.length = length;
        this.group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("bench-" + name, true), NettyPeer.ioHandlerFactory(transport));
    }

    static TetherPeer<String> strings(Transport transport) {
        return new TetherPeer<>("tether-strings", transport, Codec.utf8(), String::length);
    }

    static TetherPeer<byte[]> bytes(Transport transport) {
        return new TetherPeer<>("tether-bytes", transport, Codec.bytes(), bytes -> bytes.length);
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
    public long receive(Workload workload, long messages, int port) throws Exception {
        long[] counted = new long[2]; // messages, payload bytes: touched on the I/O thread only
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        ClientConfig<T> config = ClientConfig.builder(codec)
                .remoteAddress("127.0.0.1", port)
                .name("bench-tether")
                .eventLoopGroup(group)
                .framing(
                        workload.format() == Workload.Format.LINES
                                ? Framing.lines(Workload.MAX_FRAME)
                                : Framing.lengthField(4, Workload.MAX_FRAME))
                .idle(IdlePolicy.readTimeout(Duration.ofSeconds(30))) // the default reconnect policy stays too
                .handler((connection, message) -> {
                    counted[0]++;
                    counted[1] += length.applyAsInt(message);
                })
                .listener(new ConnectionListener() {
                    @Override
                    public void onDisconnected(Connection<?> connection, ConnectionClosedException cause) {
                        connection.closeAsync(); // the feed is over: no reconnect
                        serverClosed.complete(null);
                    }
                })
                .build();
        try (TetherClient<T> client = TetherClient.create(config)) {
            long start = System.nanoTime();
            client.connect().get(10, TimeUnit.SECONDS);
            serverClosed.get(5, TimeUnit.MINUTES);
            long took = System.nanoTime() - start;
            Peer.verify(name, workload, messages, counted[0], counted[1]);
            return took;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
