/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.reconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {
    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration S_30 = Duration.ofSeconds(30);

    private static List<Duration> delays(ReconnectPolicy policy, int attempts, RandomGenerator random) {
        List<Duration> out = new ArrayList<>();
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Optional<Duration> next = policy.nextDelay(attempt, previous, random);
            if (next.isEmpty()) {
                break;
            }
            previous = next.get();
            out.add(previous);
        }
        return out;
    }

    @Test
    void exponentialWithoutJitterDoublesUpToTheCap() {
        ReconnectPolicy p =
                ReconnectPolicy.exponential(MS_100, Duration.ofSeconds(1)).withJitter(Jitter.NONE);
        assertEquals(
                List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
                delays(p, 6, new SplittableRandom(1)).stream()
                        .map(Duration::toMillis)
                        .toList());
    }

    @Test
    void fullJitterStaysWithinZeroAndTheExponentialDelay() {
        ReconnectPolicy p = ReconnectPolicy.exponential(MS_100, S_30);
        SplittableRandom random = new SplittableRandom(7);
        for (int attempt = 1; attempt <= 30; attempt++) {
            long cap = Math.min(S_30.toMillis(), 100L << Math.min(attempt - 1, 20));
            for (int i = 0; i < 200; i++) {
                long d = p.nextDelay(attempt, Duration.ZERO, random)
                        .orElseThrow()
                        .toMillis();
                assertTrue(d >= 0 && d <= cap, "attempt " + attempt + ": " + d + " not in [0, " + cap + "]");
            }
        }
    }

    @Test
    void equalJitterNeverGoesBelowHalf() {
        ReconnectPolicy p = ReconnectPolicy.exponential(MS_100, S_30).withJitter(Jitter.EQUAL);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            long d = p.nextDelay(4, Duration.ZERO, random).orElseThrow().toMillis();
            assertTrue(d >= 400 && d <= 800, String.valueOf(d));
        }
    }

    @Test
    void decorrelatedJitterGrowsFromThePreviousDelayAndIsCapped() {
        ReconnectPolicy p =
                ReconnectPolicy.exponential(MS_100, Duration.ofSeconds(2)).withJitter(Jitter.DECORRELATED);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            long d =
                    p.nextDelay(9, Duration.ofMillis(300), random).orElseThrow().toMillis();
            assertTrue(d >= 100 && d <= 900, String.valueOf(d));
        }
        assertEquals(MS_100, p.nextDelay(1, Duration.ZERO, random).orElseThrow());
        for (int i = 0; i < 1000; i++) {
            assertTrue(
                    p.nextDelay(9, Duration.ofSeconds(10), random).orElseThrow().toMillis() <= 2000);
        }
    }

    @Test
    void aSeedMakesTheDelaysRepeatable() {
        ReconnectPolicy p = ReconnectPolicy.exponential(MS_100, S_30).withSeed(42);
        assertEquals(p.seed().getAsLong(), 42);
        assertEquals(delays(p, 10, new SplittableRandom(42)), delays(p, 10, new SplittableRandom(42)));
        assertNotEquals(delays(p, 10, new SplittableRandom(42)), delays(p, 10, new SplittableRandom(43)));
    }

    @Test
    void maxAttemptsAndDisabledGiveUp() {
        assertEquals(
                3,
                delays(ReconnectPolicy.fixed(MS_100).withMaxAttempts(3), 10, new SplittableRandom())
                        .size());
        assertEquals(List.of(), delays(ReconnectPolicy.disabled(), 10, new SplittableRandom()));
        assertFalse(ReconnectPolicy.disabled().isEnabled());
        assertEquals(List.of(MS_100, MS_100), delays(ReconnectPolicy.fixed(MS_100), 2, new SplittableRandom()));
    }

    @Test
    void hugeAttemptNumbersDoNotOverflow() {
        ReconnectPolicy p = ReconnectPolicy.exponential(MS_100, S_30).withJitter(Jitter.NONE);
        assertEquals(
                S_30,
                p.nextDelay(Integer.MAX_VALUE, S_30, new SplittableRandom()).orElseThrow());
    }

    @Test
    void resetAfterDefaultsToTheLongestDelayOrFiveSeconds() {
        assertEquals(S_30, ReconnectPolicy.exponential(MS_100, S_30).resetAfter());
        assertEquals(Duration.ofSeconds(5), ReconnectPolicy.fixed(MS_100).resetAfter());
        assertEquals(
                Duration.ZERO,
                ReconnectPolicy.fixed(MS_100).withResetAfter(Duration.ZERO).resetAfter());
    }

    @Test
    void rejectsBadValuesNamingTheSetting() {
        assertEquals(
                "exponential initialDelay must be > 0, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.exponential(Duration.ZERO, S_30))
                        .getMessage());
        assertEquals(
                "exponential maxDelay (PT1S) must be >= initialDelay (PT10S)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ReconnectPolicy.exponential(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                        .getMessage());
        assertEquals(
                "fixed delay must be >= 0, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.fixed(Duration.ofSeconds(-1)))
                        .getMessage());
        assertEquals(
                "fixed delay must be <= PT24H, was PT48H",
                assertThrows(IllegalArgumentException.class, () -> ReconnectPolicy.fixed(Duration.ofDays(2)))
                        .getMessage());
        ReconnectPolicy p = ReconnectPolicy.exponential(MS_100, S_30);
        assertEquals(
                "multiplier must be a finite number >= 1, was 0.5",
                assertThrows(IllegalArgumentException.class, () -> p.withMultiplier(0.5))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.withMultiplier(Double.NaN));
        assertEquals(
                "maxAttempts must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> p.withMaxAttempts(0))
                        .getMessage());
        assertThrows(NullPointerException.class, () -> p.withJitter(null));
        assertEquals(
                "withSeed does not apply to ReconnectPolicy.disabled()",
                assertThrows(
                                IllegalStateException.class,
                                () -> ReconnectPolicy.disabled().withSeed(1))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.nextDelay(0, Duration.ZERO, new SplittableRandom()));
    }

    @Test
    void isAValue() {
        assertEquals(ReconnectPolicy.exponential(MS_100, S_30), ReconnectPolicy.exponential(MS_100, S_30));
        assertEquals(
                ReconnectPolicy.exponential(MS_100, S_30).hashCode(),
                ReconnectPolicy.exponential(MS_100, S_30).hashCode());
        assertNotEquals(
                ReconnectPolicy.exponential(MS_100, S_30),
                ReconnectPolicy.exponential(MS_100, S_30).withSeed(1));
        assertEquals("ReconnectPolicy{disabled}", ReconnectPolicy.disabled().toString());
        assertTrue(ReconnectPolicy.fixed(MS_100).toString().contains("PT0.1S"));
    }
}
