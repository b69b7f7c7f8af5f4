/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.flink.example.BenchJob.Result;
import dev.tether.flink.example.BenchJob.Variant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the Flink benchmark's every variant in this JVM on a MiniCluster, with a small feed (issue 14). */
class FlinkBenchIT {
    private static final int MESSAGES = 20_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void everyVariantCountsEveryLineOfTheFeed() {
        Map<Variant, Result> seen = new ConcurrentHashMap<>();

        int status = run(
                (variant, endpoints) -> {
                    Result result = FlinkBench.inProcess(variant, endpoints);
                    seen.put(variant, result);
                    return result;
                },
                "--messages",
                String.valueOf(MESSAGES),
                "--reps",
                "1");

        assertEquals(0, status, stdout() + stderr());
        assertEquals(Variant.values().length, seen.size(), stdout());
        seen.forEach((variant, result) -> {
            assertEquals((long) MESSAGES * variant.endpoints, result.records(), variant.label);
            assertTrue(result.timed() > 0 && result.timed() <= result.records(), variant + " " + result);
            assertTrue(result.nanos() > 0, variant + " " + result);
        });
        assertFalse(stdout().contains("INVALID"), stdout());
        for (Variant v : Variant.values()) {
            assertTrue(
                    stdout().contains("| " + v.label + " | " + v.endpoints + " | " + v.parallelism + " | "), stdout());
        }
        assertTrue(stdout().contains("tether/socket at p=1: "), stdout());
        assertTrue(stdout().contains("tether/socket at p=2: "), stdout());
        assertTrue(stdout().contains("tether p=2 / socket x2 apart (no union): "), stdout());
        assertEquals("", stderr());
    }

    @Test
    void aRunWithTheWrongCountOrThatFailsIsInvalidAndTheExitStatusOne() {
        int status = run(
                (variant, endpoints) -> {
                    if (variant == Variant.SOCKET_P1) {
                        throw new IllegalStateException("boom");
                    }
                    long records =
                            variant == Variant.TETHER_P2 ? 2L * MESSAGES - 1 : (long) MESSAGES * variant.endpoints;
                    return new Result(records, records, 1_000_000);
                },
                "--messages",
                String.valueOf(MESSAGES),
                "--reps",
                "2");

        assertEquals(1, status, stdout());
        assertTrue(
                stdout().matches("(?s).*tether p=2 +INVALID: counted 39,999 records, expected 40,000\n.*"), stdout());
        assertTrue(stdout().matches("(?s).*socket p=1 +INVALID: failed: boom\n.*"), stdout());
        assertTrue(stdout().contains("| tether p=2 | 2 | 2 | - | - | 0 of 2 |"), stdout());
        assertTrue(stdout().contains("| tether p=1 | 1 | 1 | 20,000,000 | 20,000,000–20,000,000 | 2 of 2 |"), stdout());
        assertTrue(stdout().contains("tether/socket at p=1: - (no valid run)"), stdout());
        assertTrue(stderr().endsWith("error: 4 invalid run(s), left out of the medians\n"), stderr());
    }

    @Test
    void badOptionsExitWithStatusTwoAndOneLine() {
        for (String[] args : List.of(
                new String[] {"--nope"},
                new String[] {"--messages"},
                new String[] {"--messages", "many"},
                new String[] {"--messages", "0"},
                new String[] {"--reps", "0"},
                new String[] {"--line-bytes", "11"},
                new String[] {"--line-bytes=65537"})) {
            out.reset();
            err.reset();

            int status = run(
                    (variant, endpoints) -> {
                        throw new AssertionError("bad options must not run anything");
                    },
                    args);

            assertEquals(2, status, String.join(" ", args));
            assertEquals(1, stderr().strip().lines().count(), stderr());
            assertTrue(stderr().startsWith("error: "), stderr());
            assertTrue(stderr().contains("usage: FlinkBench"), stderr());
            assertEquals("", stdout());
        }
    }

    private int run(FlinkBench.Runner runner, String... args) {
        return FlinkBench.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                runner);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
