/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import dev.tether.ClientConfig;
import dev.tether.ClientStats;
import dev.tether.TetherClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One split's link: a Tether client with one connection, whose messages it subscribes to with a bounded window.
 *
 * <p>It requests {@code window} messages at first, and more only as the task thread takes them from the handover
 * (half a window at a time). So when Flink stops polling, requests stop, the connection's inbox fills up, and
 * Tether stops reading the socket: backpressure reaches the server through TCP.
 *
 * <p>The subscriber methods run on the publisher executor; {@link #open}, {@link #taken} and {@link #closeAsync} on
 * the task thread.
 */
final class SplitStream implements Flow.Subscriber<String> {
    private final EndpointSplit split;
    private final Handover handover;
    private final int window;
    private volatile Flow.Subscription subscription; // set on the publisher executor, read on the task thread
    private int taken; // task thread only
    private volatile TetherClient<String> client; // written on the task thread, read by metrics too

    SplitStream(EndpointSplit split, Handover handover, int window) {
        this.split = split;
        this.handover = handover;
        this.window = window;
    }

    EndpointSplit split() {
        return split;
    }

    /** Creates the client and connects; a failed connect ends the stream with that failure. */
    void open(ClientConfig<String> config) {
        client = TetherClient.create(config);
        client.connect().whenComplete((connection, error) -> {
            if (error != null) {
                handover.put(new Handover.Item(this, null, error));
            } else {
                connection.messages().subscribe(this);
            }
        });
    }

    /** Notes one message taken by the task thread; gives the publisher more demand every half window. */
    void taken() {
        if (++taken >= Math.max(1, window / 2)) {
            subscription.request(taken);
            taken = 0;
        }
    }

    /** The client's counts and levels; null before the client exists. Any thread. */
    ClientStats stats() {
        TetherClient<String> c = client;
        return c == null ? null : c.stats();
    }

    /** The messages waiting in the connection's inbox, behind the window; 0 before the client exists. */
    long inboxMessages() {
        return client == null ? 0 : client.stats().inboxMessages();
    }

    CompletableFuture<Void> closeAsync() {
        return client == null ? CompletableFuture.completedFuture(null) : client.closeAsync();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(window);
    }

    @Override
    public void onNext(String message) {
        handover.put(new Handover.Item(this, message, null));
    }

    @Override
    public void onError(Throwable failure) {
        handover.put(new Handover.Item(this, null, failure));
    }

    @Override
    public void onComplete() {
        handover.put(new Handover.Item(this, null, null));
    }
}
