/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntFunction;

/** The timed steps of a {@link Script}: their argument checks and {@link Script#every} itself. */
final class Pacing {
    private Pacing() {}

    /** Checks that {@code interval}, given to the step {@code step}, is positive. */
    static void check(String step, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException(step + " interval must be > 0, was " + interval);
        }
    }

    /** Writes {@code times} lines, waiting {@code interval} before each; runs on the connection's thread. */
    static void every(ScriptRun run, Duration interval, int times, IntFunction<String> line) throws IOException {
        for (int i = 0; i < times; i++) {
            run.await(interval);
            String text = Objects.requireNonNull(line.apply(i), "every: line " + i + " is null");
            run.write((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
