/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Proves that the build's leak detection would catch a leak: a test that leaks must produce a report. */
class LeakDetectionSelfTest {
    @Test
    void aLeakedBufferIsReported() {
        assumeTrue(RecordingLeakDetector.isConfigured(), "runs only with the build's leak-detection flags");
        RecordingLeakDetector.clear();
        leakOne();
        Await.until(
                () -> {
                    System.gc();
                    // Netty reports a collected, unreleased buffer when it next tracks one
                    PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
                    return !RecordingLeakDetector.reports().isEmpty();
                },
                Duration.ofSeconds(10),
                "a leak report for the deliberately leaked buffer");
        assertTrue(
                RecordingLeakDetector.reports().get(0).contains("LEAK"),
                RecordingLeakDetector.reports().get(0));
        RecordingLeakDetector.clear(); // the leak was on purpose: keep the class-level check green
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        leaked.writeLong(42);
    }
}
