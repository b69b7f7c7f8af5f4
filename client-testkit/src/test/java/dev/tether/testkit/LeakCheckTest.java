/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs small fixture classes through the JUnit launcher and checks what {@link LeakCheck} made of them. */
class LeakCheckTest {
    // the fixtures run only from here: surefire skips nested classes, and the assumption stops any other runner
    private static volatile boolean running;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static ByteBuf kept;

    @Test
    void failsTheTestThatLeakedABufferOnce() {
        assumeTrue(RecordingLeakDetector.isConfigured(), "needs the surefire argLine");
        List<String> failures = failures(TestLeakFixture.class);
        assertEquals(1, failures.size(), failures.toString()); // the class-level check does not repeat it
        assertTrue(failures.get(0).startsWith("1 buffer leak report(s) after leaksABuffer():\n"), failures.get(0));
        assertTrue(failures.get(0).contains("LEAK: ByteBuf.release() was not called"), failures.get(0));
        assertTrue(failures.get(0).contains("allocateAndForget"), failures.get(0)); // Netty's access records
    }

    @Test
    void failsTheClassThatLeakedABufferInItsClassLevelMethods() {
        assumeTrue(RecordingLeakDetector.isConfigured(), "needs the surefire argLine");
        List<String> failures = failures(ClassLeakFixture.class);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("1 buffer leak report(s) after "), failures.get(0));
        assertTrue(failures.get(0).contains("ClassLeakFixture:\nLEAK: ByteBuf.release()"), failures.get(0));
    }

    @Test
    void passesACleanTestAndIgnoresThreads() {
        try {
            assertEquals(List.of(), failures(ThreadFixture.class));
        } finally {
            RELEASE.countDown();
        }
    }

    private static List<String> failures(Class<?> fixture) {
        return FixtureRun.failures(fixture, on -> running = on);
    }

    private static ByteBuf allocateAndForget() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(16);
        buffer.writeInt(42);
        return buffer;
    }

    @ExtendWith(LeakCheck.class)
    static class TestLeakFixture {
        @Test
        void leaksABuffer() {
            assumeTrue(running);
            allocateAndForget();
        }
    }

    @ExtendWith(LeakCheck.class)
    static class ClassLeakFixture {
        @BeforeAll
        static void keepABuffer() {
            kept = running ? allocateAndForget() : null; // reachable until after the test
        }

        @AfterAll
        static void dropIt() {
            kept = null;
        }

        @Test
        void passes() {
            assumeTrue(running);
        }
    }

    @ExtendWith(LeakCheck.class)
    static class ThreadFixture {
        @Test
        void leavesAThreadAndReleasesItsBuffer() {
            assumeTrue(running);
            Thread thread = new Thread(
                    () -> {
                        try {
                            RELEASE.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "left-io-1");
            thread.setDaemon(true);
            thread.start();
            allocateAndForget().release();
        }
    }
}
