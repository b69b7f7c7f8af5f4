/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The round-trip times of one run, or the medians of several, in nanoseconds: the 50th, 99th and 99.9th
 * percentiles.
 */
record Latency(long p50, long p99, long p999) {
    /** Returns the percentiles of {@code nanos}, nearest rank; sorts {@code nanos} in place. */
    static Latency of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no round trips to take percentiles of");
        }
        Arrays.sort(nanos);
        return new Latency(rank(nanos, 0.50), rank(nanos, 0.99), rank(nanos, 0.999));
    }

    /** Returns each percentile's median over {@code runs}, taken on its own. */
    static Latency median(List<Latency> runs) {
        return new Latency(median(runs, Latency::p50), median(runs, Latency::p99), median(runs, Latency::p999));
    }

    /** The smallest value with at least {@code fraction} of the sorted {@code nanos} at or below it. */
    private static long rank(long[] nanos, double fraction) {
        int rank = (int) Math.ceil(fraction * nanos.length);
        return nanos[Math.max(rank, 1) - 1];
    }

    private static long median(List<Latency> runs, ToLongFunction<Latency> percentile) {
        long[] values = runs.stream().mapToLong(percentile).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
