/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ConnectFailedException;
import dev.tether.MetricsRecorder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Stands in for the network: each attempt takes the next scripted outcome (refuse, never answer, or open an {@link
 * EmbeddedChannel} carrying the connection's real pipeline); when the script runs out, the last outcome repeats.
 * Every attempt is counted, and every channel handed out is kept for the test to drive and inspect.
 */
final class FakeConnector extends Connector {
    enum Outcome {
        REFUSE,
        PENDING,
        OPEN
    }

    private final Deque<Outcome> script;
    private Outcome last;
    final List<EmbeddedChannel> channels = new ArrayList<>();
    final List<InetSocketAddress> addresses = new ArrayList<>();
    int attempts;

    FakeConnector(Outcome... script) {
        super(null, Runnable::run, Duration.ofSeconds(1));
        this.script = new ArrayDeque<>(List.of(script));
        this.last = script[script.length - 1];
    }

    /** Refuses every attempt at once, as a port nobody listens on does. */
    static FakeConnector refusing() {
        return new FakeConnector(Outcome.REFUSE);
    }

    /** Never ends an attempt by itself, as one to a host that does not answer. */
    static FakeConnector pending() {
        return new FakeConnector(Outcome.PENDING);
    }

    /** The channel of the latest attempt that opened one. */
    EmbeddedChannel channel() {
        return channels.get(channels.size() - 1);
    }

    @Override
    CompletableFuture<Channel> connect(
            InetSocketAddress address,
            EventLoop loop,
            ChannelHandler initializer,
            Consumer<Channel> created,
            BooleanSupplier cancelled,
            MetricsRecorder.ConnectAttempt attempt) {
        attempts++;
        addresses.add(address);
        Outcome outcome = script.isEmpty() ? last : script.poll();
        switch (outcome) {
            case REFUSE:
                return CompletableFuture.failedFuture(new ConnectFailedException(
                        "connect to " + ConfigText.hostAndPort(address) + " failed: Connection refused",
                        new ConnectException("Connection refused")));
            case PENDING:
                return new CompletableFuture<>();
            default:
                EmbeddedChannel channel = new EmbeddedChannel(initializer);
                channels.add(channel);
                created.accept(channel);
                return CompletableFuture.completedFuture(channel);
        }
    }
}
