/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import dev.tether.testkit.Await;
import java.time.Duration;
import java.util.List;

/** Checks that a client leaves no thread of its own behind. */
public final class Threads {
    private Threads() {}

    /** Returns the names of live threads whose name starts with {@code prefix}. */
    public static List<String> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .toList();
    }

    /** Waits until no live thread's name starts with {@code prefix}. */
    public static void awaitNone(String prefix, Duration timeout) {
        Await.until(() -> named(prefix).isEmpty(), timeout, "no thread named " + prefix + "*, have " + named(prefix));
    }
}
