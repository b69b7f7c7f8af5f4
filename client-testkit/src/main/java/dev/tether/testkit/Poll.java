/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls for something another thread or the kernel does, with a bounded timeout; never makes time pass. */
final class Poll {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Poll() {}

    /**
     * Returns the first value from {@code supplier} that {@code done} accepts.
     *
     * @throws AssertionError on timeout or interrupt, naming {@code description} and the last value seen
     */
    static <T> T until(
            Supplier<? extends T> supplier, Predicate<? super T> done, Duration timeout, String description) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = supplier.get();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(
                        "timed out after " + timeout + " waiting for " + description + " (last value: " + value + ")");
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting for " + description);
            }
        }
    }
}
