/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Waiting for real events in the kit's own tests: polls, never sleeps a fixed time, names what it waited for. */
final class Waiting {
    private Waiting() {}

    /** Returns once {@code condition} holds; fails with {@code description} after {@code timeout}. */
    static void until(BooleanSupplier condition, Duration timeout, String description) {
        Poll.until(condition::getAsBoolean, Boolean::booleanValue, timeout, description);
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
