/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tether.testkit.RecordingLeakDetector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Proves that the build's leak detection would catch a leak: runs a test that leaks a buffer, with the extensions
 * every test here gets (the kit's {@code LeakCheck}, auto-registered through {@code META-INF/services}), and checks
 * that it fails with Netty's report.
 */
class LeakDetectionSelfTest {
    // the fixture runs only from here: surefire skips nested classes, and the assumption stops any other runner
    private static volatile boolean running;

    @Test
    void aTestThatLeaksABufferFails() {
        assumeTrue(
                RecordingLeakDetector.class.getName().equals(System.getProperty("io.netty.customResourceLeakDetector")),
                "runs only with the build's leak-detection flags");
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        running = true;
        try {
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectClass(LeakyFixture.class))
                                    .build(),
                            listener);
        } finally {
            running = false;
        }
        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsFailedCount(), "the leaking test failed");
        List<String> failures = summary.getFailures().stream()
                .map(f -> String.valueOf(f.getException().getMessage()))
                .toList();
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("1 buffer leak report(s) after leaksABuffer():\n"), failures.get(0));
        assertTrue(failures.get(0).contains("LEAK: ByteBuf.release() was not called"), failures.get(0));
        assertTrue(failures.get(0).contains("leakOne"), failures.get(0)); // Netty's access records name the code
    }

    // no @ExtendWith: the auto-registered extension must catch it
    static class LeakyFixture {
        @Test
        void leaksABuffer() {
            assumeTrue(running);
            leakOne();
        }

        private static void leakOne() {
            ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(8);
            leaked.writeLong(42);
        }
    }
}
