/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a real event (a socket accepted, a line received) by polling, with a bounded timeout.
 *
 * <p>Use it only for things that happen on other threads or in the kernel. To make time pass in a
 * handler test, freeze and advance {@code EmbeddedChannel} time instead.
 *
 * <pre>{@code
 * Await.until(() -> server.acceptedCount() == 2, Duration.ofSeconds(5), "second connection");
 * }</pre>
 */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Await() {}

    /**
     * Returns once {@code condition} is true, polling about every 5 ms on the calling thread.
     *
     * @throws AssertionError "timed out after PT5S waiting for: description" when the timeout
     *     passes first, or when the waiting thread is interrupted (its flag is restored)
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public static void until(BooleanSupplier condition, Duration timeout, String description) {
        Objects.requireNonNull(condition, "condition");
        value(condition::getAsBoolean, Boolean::booleanValue, timeout, description);
    }

    /** Same as {@link #until(BooleanSupplier, Duration, String)}, with a generic description. */
    public static void until(BooleanSupplier condition, Duration timeout) {
        until(condition, timeout, "condition");
    }

    /**
     * Returns the first value from {@code supplier} that {@code done} accepts, polling about every
     * 5 ms; the failure message also shows the last value seen.
     *
     * @throws AssertionError when the timeout passes first, or when the thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public static <T> T value(
            Supplier<? extends T> supplier, Predicate<? super T> done, Duration timeout, String description) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(done, "done");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(description, "description");
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
                        "timed out after " + timeout + " waiting for: " + description + lastValue(value));
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while waiting for: " + description);
            }
        }
    }

    private static String lastValue(Object value) {
        // a boolean adds nothing to the message; anything else helps diagnose the failure
        return value instanceof Boolean ? "" : " (last value: " + value + ")";
    }
}
