/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StreamExampleTest {
    @Test
    void summaryStatesCountSizeTimeAndRates() {
        assertEquals(
                "received 1000000 messages (64 B each) in 1.23 s: 813,008 msg/s, 49.6 MiB/s",
                StreamExample.summary(1_000_000, 64_000_000, 1_230_000_000L));
    }

    @Test
    void summaryAveragesUnevenSizes() {
        assertEquals(
                "received 3 messages (3.3 B on average) in 1.00 s: 3 msg/s, 0.0 MiB/s",
                StreamExample.summary(3, 10, 1_000_000_000L));
    }

    @Test
    void summaryOfNothing() {
        assertEquals(
                "received 0 messages (no data) in 0.50 s: 0 msg/s, 0.0 MiB/s",
                StreamExample.summary(0, 0, 500_000_000L));
    }
}
