/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.Transport;
import dev.tether.reconnect.ReconnectPolicy;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Tether with no handler, as the README's quick start has it: strings (the default codec) wait in the inbox, and the
 * user takes them with {@code receive(timeout)} on their own thread ({@code tether-receive}) or through
 * {@code messages()}, a {@link Flow.Publisher} ({@code tether-publisher}). Every setting is the README's default except
 * what the feed needs: its framing, and {@code ReconnectPolicy.disabled()}, so that the connection ends for good when
 * the feed server closes it.
 *
 * <p>In-process, runs share one I/O thread on the given transport, as {@link TetherPeer}'s do; as a newcomer, each
 * client creates its own group on {@link Transport#AUTO}.
 */
final class TetherPullPeer implements Peer {
    /**
     * How many messages the subscriber asks for up front; it asks for half as many again each time it has taken
     * half, so between 128 and 256 are requested at any time. That is the usual shape of a reactive consumer (a
     * prefetch, topped up in chunks rather than one by one) and stays under the inbox's capacity (16,384), so the
     * publisher's own pacing, not the inbox's pause, is what is measured.
     */
    static final int PREFETCH = 256;

    /** How long each {@code receive} waits: the loop goes round on an empty answer while the connection is open. */
    private static final Duration RECEIVE_WAIT = Duration.ofSeconds(1);

    private final boolean publisher;
    private final EventLoopGroup group; // null: each client creates its own
    private volatile Transport resolved; // what the last client ran on; written by the runner's thread

    private TetherPullPeer(boolean publisher, Transport transport, boolean newcomer) {
        this.publisher = publisher;
        this.group =
                newcomer ? null : TetherPeer.sharedGroup(publisher ? "tether-publisher" : "tether-receive", transport);
        this.resolved = newcomer ? Transport.AUTO : transport;
    }

    static TetherPullPeer receiving(Transport transport, boolean newcomer) {
        return new TetherPullPeer(false, transport, newcomer);
    }

    static TetherPullPeer publishing(Transport transport, boolean newcomer) {
        return new TetherPullPeer(true, transport, newcomer);
    }

    @Override
    public String name() {
        return publisher ? "tether-publisher" : "tether-receive";
    }

    @Override
    public String transport() {
        return TetherPeer.label(resolved);
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        ClientConfig.Builder<String> builder = ClientConfig.builder()
                .remoteAddress("127.0.0.1", port)
                .name("bench-tether")
                .framing(TetherPeer.framing(workload))
                .reconnect(ReconnectPolicy.disabled()); // the feed's close is the end
        if (group != null) {
            builder.eventLoopGroup(group);
        }
        try (TetherClient<String> client = TetherClient.create(builder.build())) {
            resolved = client.transport();
            long start = System.nanoTime();
            Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
            long[] counted = publisher ? subscribe(connection) : pull(connection);
            long took = System.nanoTime() - start;
            Peer.verify(name(), workload, messages, counted[0], counted[1]);
            return took;
        }
    }

    @Override
    public void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Takes messages until the connection is closed and drained; returns the messages and payload bytes. */
    private static long[] pull(Connection<String> connection) throws InterruptedException {
        long count = 0;
        long chars = 0;
        Duration wait = RECEIVE_WAIT;
        while (true) {
            Optional<String> message = connection.receive(wait);
            if (message.isPresent()) {
                count++;
                chars += message.get().length();
            } else if (!connection.isOpen()) {
                if (wait.isZero()) {
                    return new long[] {count, chars}; // closed and drained
                }
                // it may have closed after this receive gave up waiting: what is left is queued, take it at once
                wait = Duration.ZERO;
            } // else: nothing within RECEIVE_WAIT, but still open: wait again
        }
    }

    /** Subscribes to the messages and waits for {@code onComplete}; returns the messages and payload bytes. */
    private static long[] subscribe(Connection<String> connection) throws Exception {
        Counter counter = new Counter();
        connection.messages().subscribe(counter);
        return counter.done.get(); // interruptible: a stalled run is ended by the runner's deadline
    }

    /** Counts what it is given, asking for {@link #PREFETCH} at first and topping up by half as it goes. */
    private static final class Counter implements Flow.Subscriber<String> {
        final CompletableFuture<long[]> done = new CompletableFuture<>();
        // called in sequence by the publisher (on common-pool threads), read after done completes
        private Flow.Subscription subscription;
        private long count;
        private long chars;
        private int sinceRequest;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(PREFETCH);
        }

        @Override
        public void onNext(String message) {
            count++;
            chars += message.length();
            if (++sinceRequest == PREFETCH / 2) {
                sinceRequest = 0;
                subscription.request(PREFETCH / 2);
            }
        }

        @Override
        public void onError(Throwable cause) {
            done.completeExceptionally(cause);
        }

        @Override
        public void onComplete() {
            done.complete(new long[] {count, chars});
        }
    }
}
