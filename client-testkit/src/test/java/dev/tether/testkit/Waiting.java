/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for real events in the kit's own tests: polls, never sleeps a fixed time, names what it waited for. */
final class Waiting {
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

    private Waiting() {}

    /** Returns once {@code condition} holds; fails with {@code description} after {@code timeout}. */
    static void until(BooleanSupplier condition, Duration timeout, String description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + description);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Returns the names of live threads whose name starts with {@code prefix}. */
    static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
    }

    /** Waits until no live thread's name starts with {@code prefix}. */
    static void noThreadsNamed(String prefix, Duration timeout) {
        until(() -> threadsNamed(prefix).isEmpty(), timeout, "no thread named " + prefix + "*");
    }
}
