/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The proxy's random choices: the same seed gives the same slices and jitter, each link and direction its own. */
class FaultsTest {
    private static Faults faults(long seed) {
        Faults faults = new Faults();
        faults.seed(seed);
        faults.slice(7);
        faults.latency(Duration.ofMillis(10));
        faults.jitter(Duration.ofMillis(5));
        return faults;
    }

    private static List<Integer> slices(Faults faults, int link, boolean toClient) {
        SplittableRandom random = faults.random(link, toClient);
        return IntStream.range(0, 50).map(i -> faults.nextSlice(random)).boxed().toList();
    }

    private static List<Long> delays(Faults faults, int link, boolean toClient) {
        SplittableRandom random = faults.random(link, toClient);
        return LongStream.range(0, 50)
                .map(i -> faults.delayNanos(random))
                .boxed()
                .toList();
    }

    @Test
    void theSameSeedDrawsTheSameSlicesAndDelays() {
        assertEquals(slices(faults(42), 1, true), slices(faults(42), 1, true));
        assertEquals(delays(faults(42), 3, false), delays(faults(42), 3, false));
    }

    @Test
    void eachSeedLinkAndDirectionDrawsItsOwn() {
        List<Integer> first = slices(faults(42), 1, true);

        assertNotEquals(first, slices(faults(43), 1, true));
        assertNotEquals(first, slices(faults(42), 2, true));
        assertNotEquals(first, slices(faults(42), 1, false));
    }

    @Test
    void slicesAndDelaysStayInTheirRanges() {
        assertTrue(slices(faults(1), 1, true).stream().allMatch(n -> n >= 1 && n <= 7));
        long min = Duration.ofMillis(10).toNanos();
        long max = Duration.ofMillis(15).toNanos();
        assertTrue(delays(faults(1), 1, true).stream().allMatch(d -> d >= min && d <= max));
    }

    @Test
    void withoutSliceOrJitterChunksGoWholeAfterTheLatency() {
        Faults faults = new Faults();
        faults.latency(Duration.ofMillis(10));
        SplittableRandom random = faults.random(1, true);

        assertEquals(Integer.MAX_VALUE, faults.nextSlice(random));
        assertEquals(Duration.ofMillis(10).toNanos(), faults.delayNanos(random));
    }

    @Test
    void badValuesAreRefusedWithTheSettingsName() {
        Faults faults = new Faults();

        assertEquals(
                "latency must be >= 0, was PT-0.001S",
                assertThrows(IllegalArgumentException.class, () -> faults.latency(Duration.ofMillis(-1)))
                        .getMessage());
        assertEquals(
                "jitter must be >= 0, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> faults.jitter(Duration.ofSeconds(-1)))
                        .getMessage());
        assertEquals(
                "bytesPerSecond must be >= 0, was -1",
                assertThrows(IllegalArgumentException.class, () -> faults.bandwidth(-1))
                        .getMessage());
        assertEquals(
                "maxBytes must be >= 0, was -2",
                assertThrows(IllegalArgumentException.class, () -> faults.slice(-2))
                        .getMessage());
        assertEquals(
                "jitter",
                assertThrows(NullPointerException.class, () -> faults.jitter(null))
                        .getMessage());
    }
}
