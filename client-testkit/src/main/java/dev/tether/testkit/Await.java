/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something another thread or the kernel does (a connection accepted, a line received, a socket closed) by
 * polling about every 5 ms on the calling thread, with a bounded timeout. It never makes time pass: for timers in a
 * handler test, freeze and advance {@code EmbeddedChannel} time instead.
 *
 * <pre>{@code
 * Await.until(() -> server.acceptedCount() == 2, Duration.ofSeconds(5), "the second connection");
 * Instant closed = Await.value(() -> server.connection(0).closedAt(), Optional::isPresent, WAIT, "the close").get();
 * }</pre>
 *
 * @since 0.1
 */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Await() {}

    /**
     * Returns once {@code condition} is true.
     *
     * @param condition what to wait for; called on the calling thread
     * @param timeout how long to wait at most; positive
     * @param description what is awaited, for the failure message
     * @throws AssertionError "timed out after PT5S waiting for: description" when the timeout passes first, or when
     *     the thread is interrupted (its interrupt flag stays set)
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public static void until(BooleanSupplier condition, Duration timeout, String description) {
        Objects.requireNonNull(condition, "condition");
        value(condition::getAsBoolean, Boolean::booleanValue, timeout, description);
    }

    /**
     * Returns the first value from {@code supplier} that {@code done} accepts; a timeout's message shows the last
     * value seen.
     *
     * @param <T> the value's type
     * @param supplier gives the current value; called on the calling thread
     * @param done accepts the value awaited
     * @param timeout how long to wait at most; positive
     * @param description what is awaited, for the failure message
     * @return the accepted value
     * @throws AssertionError when the timeout passes first, or when the thread is interrupted (its interrupt flag
     *     stays set)
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
