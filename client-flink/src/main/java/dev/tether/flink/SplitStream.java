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
import org.apache.flink.api.connector.source.SourceOutput;

/**
 * One split's link: a Tether client with one connection, whose messages it subscribes to with a bounded window.
 *
 * <p>It requests {@code window} messages at first, and more only as the task thread takes them from the handover
 * (half a window at a time). So when Flink stops polling, requests stop, the connection's inbox fills up, and
 * Tether stops reading the socket: backpressure reaches the server through TCP.
 *
 * <p>The subscriber methods run on the publisher executor (by default on the I/O thread or, inside {@link #taken},
 * on the task thread: they never block); {@link #open}, {@link #taken} and {@link #closeAsync} on the task thread. A resumable source's positions: {@link #received} is written on the I/O thread as frames arrive
 * and read there by the on-connect hook; {@link #emitted} is the task thread's.
 *
 * @param <F> the frame type
 * @param <T> the record type
 */
final class SplitStream<F, T> implements Flow.Subscriber<F> {
    private final EndpointSplit split;
    private final Handover handover;
    private final int window;
    private volatile Flow.Subscription subscription; // set on the publisher executor, read on the task thread
    private int taken; // task thread only
    private volatile TetherClient<F> client; // written on the task thread, read by metrics too
    private volatile String received; // the last frame's position, as read on arrival
    private String emitted; // task thread only: the last emitted frame's position
    private SourceOutput<T> output; // task thread only: this split's output, once pollNext made it
    private boolean ended; // task thread only

    SplitStream(EndpointSplit split, Handover handover, int window) {
        this.split = split;
        this.handover = handover;
        this.window = window;
        this.received = split.position().orElse(null);
        this.emitted = received;
    }

    EndpointSplit split() {
        return split;
    }

    /** The split with the position of the last frame emitted; what a checkpoint stores. */
    EndpointSplit checkpointed() {
        return split.withPosition(emitted);
    }

    /** Creates the client and connects; a failed connect ends the stream with that failure. */
    void open(ClientConfig<F> config) {
        client = TetherClient.create(config);
        client.connect().whenComplete((connection, error) -> {
            if (error != null) {
                fail(error);
            } else {
                connection.messages().subscribe(this);
            }
        });
    }

    /** Ends the stream with {@code failure}, which fails the task when the task thread comes to it. Any thread. */
    void fail(Throwable failure) {
        handover.put(new Handover.Item(this, null, failure));
    }

    /** Notes one message taken by the task thread; gives the publisher more demand every half window. */
    void taken() {
        if (++taken >= Math.max(1, window / 2)) {
            subscription.request(taken);
            taken = 0;
        }
    }

    /** Notes the position of a frame that just arrived; on the I/O thread. */
    void received(String position) {
        received = position;
    }

    /** The position of the last frame that arrived, or the restored one; null if none. */
    String received() {
        return received;
    }

    /** Notes the position of a frame just emitted; on the task thread. */
    void emitted(String position) {
        emitted = position;
    }

    SourceOutput<T> output() {
        return output;
    }

    void output(SourceOutput<T> output) {
        this.output = output;
    }

    /** Whether the split ended on the task thread; items still in the handover for it are then skipped. */
    boolean ended() {
        return ended;
    }

    /** The client's counts and levels; null before the client exists. Any thread. */
    ClientStats stats() {
        TetherClient<F> c = client;
        return c == null ? null : c.stats();
    }

    /** The messages waiting in the connection's inbox, behind the window; 0 before the client exists. */
    long inboxMessages() {
        ClientStats stats = stats();
        return stats == null ? 0 : stats.inboxMessages();
    }

    /** Marks the split ended and closes its client. */
    CompletableFuture<Void> closeAsync() {
        ended = true;
        TetherClient<F> c = client;
        return c == null ? CompletableFuture.completedFuture(null) : c.closeAsync();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(window);
    }

    @Override
    public void onNext(F message) {
        handover.put(new Handover.Item(this, message, null));
    }

    @Override
    public void onError(Throwable failure) {
        fail(failure);
    }

    @Override
    public void onComplete() {
        handover.put(new Handover.Item(this, null, null));
    }
}
