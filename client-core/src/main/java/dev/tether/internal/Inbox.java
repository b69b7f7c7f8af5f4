/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The messages waiting for {@code receive}. Bounded by pausing the socket: at capacity, reading stops (TCP then
 * pushes back on the server) and resumes once the inbox is half empty. Frames already read when it pauses are
 * still queued, so it can exceed its capacity by at most one read's worth.
 */
final class Inbox<T> {
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private final int resumeAt;
    /** Set by the I/O thread, cleared by receivers. */
    private final AtomicBoolean paused = new AtomicBoolean();
    /** Written on the I/O thread when a channel opens, read by receivers. */
    private volatile Channel channel;
    /** Set once by a publisher's subscriber; run on the I/O thread. */
    private volatile Runnable onAdd;

    Inbox(int capacity) {
        this.capacity = capacity;
        this.resumeAt = capacity / 2;
    }

    /** Called on the I/O thread when a channel opens (again, after a reconnect). */
    void attach(Channel channel) {
        this.channel = channel;
        if (paused.get()) {
            channel.config().setAutoRead(false); // still full from the last channel: the new one waits too
        }
    }

    /** Called on the I/O thread for each message. */
    void add(T message, Channel from) {
        queue.add(message);
        if (queue.size() >= capacity && paused.compareAndSet(false, true)) {
            from.config().setAutoRead(false);
        }
        Runnable listener = onAdd;
        if (listener != null) {
            listener.run();
        }
    }

    /** Called once, when the connection is closed for good: wakes every receiver. */
    void end() {
        queue.add(END);
        Runnable listener = onAdd;
        if (listener != null) {
            listener.run();
        }
    }

    /** Sets what runs after each message is added, and after the end: a publisher's wake-up. */
    void onAdd(Runnable listener) {
        this.onAdd = listener;
    }

    /**
     * Takes the next message without waiting, as {@link #poll} does: the message, {@link #END} once the connection
     * is closed and drained, or null if nothing waits.
     */
    Object pollNow() {
        Object message = queue.peek();
        if (message == END) {
            return END;
        }
        message = queue.poll();
        resumeIfDrained();
        return message;
    }

    /** Tells whether the connection is closed for good and every message has been taken. */
    boolean endedAndDrained() {
        return queue.peek() == END;
    }

    static boolean isEnd(Object message) {
        return message == END;
    }

    @SuppressWarnings("unchecked")
    Optional<T> poll(Duration timeout) throws InterruptedException {
        Object message = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (message == END) {
            queue.add(END); // leave it for the next receiver
            return Optional.empty();
        }
        resumeIfDrained();
        return Optional.ofNullable((T) message);
    }

    private void resumeIfDrained() {
        if (paused.get() && queue.size() <= resumeAt && paused.compareAndSet(true, false)) {
            Channel current = channel;
            if (current != null) {
                current.config().setAutoRead(true);
            }
        }
    }

    int size() {
        return queue.size();
    }
}
