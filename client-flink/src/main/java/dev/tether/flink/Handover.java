/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Carries messages and split endings from the publisher threads to Flink's task thread, and tells that thread when
 * there is something to take.
 *
 * <p>The queue itself has no bound: each {@link SplitStream} requests no more messages than its window, so it holds
 * at most window times splits messages (plus one ending per split).
 */
final class Handover {
    private static final CompletableFuture<Void> AVAILABLE = CompletableFuture.completedFuture(null);

    /** A message, or (with {@code message} null) the end of a split's stream, normal if {@code failure} is null. */
    record Item(SplitStream<?, ?> stream, Object message, Throwable failure) {
        boolean isMessage() {
            return message != null;
        }
    }

    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>(); // guarded by lock

    /** Called on a publisher thread. */
    void put(Item item) {
        queue.add(item);
        CompletableFuture<Void> waiting;
        synchronized (lock) {
            waiting = available;
        }
        waiting.complete(null); // outside the lock: it runs Flink's callback
    }

    /** Called on the task thread. */
    Item poll() {
        return queue.poll();
    }

    /** Counts the items waiting; linear in their number, for tests. */
    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Returns a future completed once the queue is not empty; called on the task thread. */
    CompletableFuture<Void> available() {
        synchronized (lock) {
            // a put either added before this check, or completes the future handed out below
            if (!queue.isEmpty()) {
                return AVAILABLE;
            }
            if (available.isDone()) {
                available = new CompletableFuture<>();
            }
            return available;
        }
    }
}
