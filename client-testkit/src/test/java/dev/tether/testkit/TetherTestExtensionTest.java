/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs small fixture classes through the JUnit launcher and checks what the extension made of them. */
class TetherTestExtensionTest {
    // the fixtures run only from here: surefire skips nested classes, and the assumption stops any other runner
    private static volatile boolean running;
    private static volatile ScriptedServer started;
    private static volatile CountDownLatch release = new CountDownLatch(1);

    @Test
    void closesServersFromTheFactoryAndPassesACleanTest() {
        assertEquals(List.of(), failures(CleanFixture.class));
        assertFalse(started.isUp(), "the extension closed the server");
        assertEquals(1, started.acceptedCount());
    }

    @Test
    void failsTheTestWithTheServersFailures() {
        List<String> failures = failures(ServerFailureFixture.class);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("1 problem(s) after fails(ServerFactory):\n"), failures.get(0));
        assertTrue(
                failures.get(0).contains("server: connection #0, step #0 expectLine(\"A\"): line differs"),
                failures.get(0));
    }

    @Test
    void failsTheTestWithThreadsItLeftRunning() throws Exception {
        release = new CountDownLatch(1);
        try {
            List<String> failures = failures(ThreadFixture.class);
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(
                    failures.get(0).contains("threads still alive PT2S after the test: [leaky-io-1]"), failures.get(0));
        } finally {
            release.countDown();
        }
    }

    @Test
    void theThreadFilterIsConfigurable() throws Exception {
        release = new CountDownLatch(1);
        try {
            List<String> failures = failures(FilteredThreadFixture.class);
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(failures.get(0).contains("[mine-1]"), failures.get(0)); // "other-io-1" is not watched
        } finally {
            release.countDown();
        }
    }

    @Test
    void failsTheTestWithNettyBufferLeaks() {
        assumeTrue(RecordingLeakDetector.isConfigured(), "needs the surefire argLine");
        List<String> failures = failures(LeakFixture.class);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("buffer LEAK: ByteBuf.release() was not called"), failures.get(0));
    }

    @Test
    void refusesAFactoryForTheWholeClass() {
        List<String> failures = failures(ConstructorFixture.class);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("ServerFactory is per test"), failures.get(0));
    }

    private static List<String> failures(Class<?> fixture) {
        return FixtureRun.failures(fixture, on -> running = on);
    }

    @ExtendWith(TetherTestExtension.class)
    static class CleanFixture {
        @Test
        void passes(ServerFactory servers) throws Exception {
            assumeTrue(running);
            started = servers.start(Script.create().send("hi\n"));
            try (Client client = Client.connect(started.address())) {
                assertEquals("hi", client.readLine());
            }
        }
    }

    @ExtendWith(TetherTestExtension.class)
    static class ServerFailureFixture {
        @Test
        void fails(ServerFactory servers) throws Exception {
            assumeTrue(running);
            ScriptedServer server = servers.start(Script.create().expectLine("A"));
            try (Client client = Client.connect(server.address())) {
                client.send("B\n");
                client.read(); // end of stream: the server recorded the failure and closed
            }
        }
    }

    @ExtendWith(TetherTestExtension.class)
    static class ThreadFixture {
        @Test
        void leavesAThread() {
            assumeTrue(running);
            startWaiting("leaky-io-1");
            startWaiting("unwatched-1");
        }
    }

    static class FilteredThreadFixture {
        @RegisterExtension
        static final TetherTestExtension KIT = new TetherTestExtension().withThreadFilter(n -> n.startsWith("mine-"));

        @Test
        void leavesThreads() {
            assumeTrue(running);
            startWaiting("mine-1");
            startWaiting("other-io-1");
        }
    }

    @ExtendWith(TetherTestExtension.class)
    static class LeakFixture {
        @Test
        void leaksABuffer() {
            assumeTrue(running);
            allocateAndForget();
        }

        private static void allocateAndForget() {
            ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(16);
            buffer.writeInt(42);
        }
    }

    @ExtendWith(TetherTestExtension.class)
    static class ConstructorFixture {
        ConstructorFixture(ServerFactory servers) {}

        @Test
        void neverRuns() {}
    }

    private static void startWaiting(String name) {
        CountDownLatch latch = release;
        Thread thread = new Thread(
                () -> {
                    try {
                        latch.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }
}
