/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.time.Duration;
import java.util.List;

/** The kit's own tests wait for threads to end: polls, never sleeps a fixed time. */
final class Waiting {
    private Waiting() {}

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
        Await.until(() -> threadsNamed(prefix).isEmpty(), timeout, "no thread named " + prefix + "*");
    }
}
