/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The faults a {@link FaultProxy} applies: set from any thread, read by its {@link Direction} writers, which wait
 * here while the proxy holds and draw jitter and slice sizes from a random source made here for each of them. Every
 * field is guarded by one lock; each change wakes the waiting writers.
 */
final class Faults {
    /** A bandwidth of 0: no cap. */
    static final long UNLIMITED = 0;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long seed;
    private long latencyNanos;
    private long jitterNanos;
    private long bytesPerSecond = UNLIMITED;
    private int sliceMax; // 0: whole chunks
    private boolean held;
    private long closeAfter = -1; // bytes to the client after which a link closes; -1: never
    private boolean stopped; // the proxy is closed: nothing holds any more

    void seed(long seed) {
        change(() -> this.seed = seed);
    }

    void latency(Duration latency) {
        long nanos = nonNegativeNanos(latency, "latency");
        change(() -> latencyNanos = nanos);
    }

    void jitter(Duration jitter) {
        long nanos = nonNegativeNanos(jitter, "jitter");
        change(() -> jitterNanos = nanos);
    }

    void bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 0, was " + bytesPerSecond);
        }
        change(() -> this.bytesPerSecond = bytesPerSecond);
    }

    void slice(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        change(() -> sliceMax = maxBytes);
    }

    void hold(boolean hold) {
        change(() -> held = hold);
    }

    void closeAfter(long bytes) {
        change(() -> closeAfter = bytes);
    }

    /** Marks the proxy closed and ends any hold; returns false if it was already closed. */
    boolean stop() {
        lock.lock();
        try {
            if (stopped) {
                return false;
            }
            stopped = true;
            held = false;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Returns whether {@link #stop()} has been called. */
    boolean stopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every writer waiting on a hold, to look again whether its link has ended. */
    void wakeAll() {
        change(() -> {});
    }

    /**
     * Returns the random source for one direction of link number {@code link}: seeded from the proxy's seed, the link
     * and the direction, so that what one direction draws does not depend on how the threads of others interleave.
     */
    SplittableRandom random(int link, boolean toClient) {
        long base = read(() -> seed);
        return new SplittableRandom(base ^ (link * 0x9E3779B97F4A7C15L) ^ (toClient ? 0x5851F42D4C957F2DL : 0));
    }

    /** Returns how long after its arrival a chunk may go: the latency plus a jitter drawn from {@code random}. */
    long delayNanos(SplittableRandom random) {
        lock.lock();
        try {
            return latencyNanos + (jitterNanos == 0 ? 0 : random.nextLong(jitterNanos + 1));
        } finally {
            lock.unlock();
        }
    }

    long bytesPerSecond() {
        return read(() -> bytesPerSecond);
    }

    /** Returns the size of the next write: a slice of 1 to the maximum, or {@code Integer.MAX_VALUE} when off. */
    int nextSlice(SplittableRandom random) {
        int max = (int) read(() -> sliceMax);
        return max == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(max);
    }

    /**
     * Returns how many more bytes a link that has delivered {@code delivered} bytes to its client may deliver:
     * {@code Long.MAX_VALUE} for no limit.
     */
    long allowedToClient(long delivered) {
        return read(() -> closeAfter < 0 ? Long.MAX_VALUE : Math.max(0, closeAfter - delivered));
    }

    /** Waits while the proxy holds, unless {@code ended} (the writer's link) or the proxy ends. */
    void awaitNotHeld(BooleanSupplier ended) throws InterruptedException {
        lock.lock();
        try {
            while (held && !stopped && !ended.getAsBoolean()) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void change(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static long nonNegativeNanos(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + duration);
        }
        return duration.toNanos();
    }

    private long read(LongSupplier value) {
        lock.lock();
        try {
            return value.getAsLong();
        } finally {
            lock.unlock();
        }
    }
}
