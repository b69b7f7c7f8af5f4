/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.Transport;
import dev.tether.testing.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 9: a run that never ends is reported as stalled and the benchmark goes on; forked runs answer one line. */
class RunnerTest {
    private static final Duration SHORT = Duration.ofSeconds(1);

    private static FeedServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new FeedServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void issue9_aReceiveLoopOnAFeedThatNeverEndsIsStalledAndItsClientClosed() throws Exception {
        server.prepare(Workload.LINES_64, Long.MAX_VALUE / 2);
        try (Peer peer = new BoundedPeer(TetherPullPeer.receiving(Transport.NIO, true), SHORT)) {
            RunStalledException e =
                    assertThrows(RunStalledException.class, () -> peer.receive(Workload.LINES_64, 10, server.port()));

            assertEquals(
                    "tether-receive (" + peer.transport() + ") on lines-64: stalled, no end within 1.0 s",
                    e.getMessage());
        }
        // the run's thread stopped (the message would say so otherwise), and the client it closed let its thread go
        Threads.awaitNone("bench-tether-io", Duration.ofSeconds(10));
    }

    @Test
    void thePageSaysHowOftenEachClientRanInEitherMode() {
        String inProcess = Report.markdown(SideBySide.Options.parse("--reps", "1"), List.of(), "", "test machine");
        String forked = Report.markdown(SideBySide.Options.parse("--reps", "3", "--fork"), List.of(), "", "machine");

        assertTrue(inProcess.contains("once to warm up, then once, interleaved"), inProcess);
        assertTrue(forked.contains("in 3 fresh JVMs (see below), interleaved"), forked);
        assertFalse(forked.contains("once to warm up, then"), "a forked run has no in-process warm-up");
        assertEquals("twice", Report.times(2));
    }

    @Test
    void issue9_theRunnerCountsStallsAndGoesOnWithTheOtherClients() throws Exception {
        SideBySide.Options options = SideBySide.Options.parse(
                "--reps", "2", "--megabytes", "1", "--workloads", "lines-64", "--run-timeout", "1s");

        List<SideBySide.Result> results = SideBySide.run(options, List.of(new NeverEnds(), new BlockingPeer()));

        SideBySide.Result stalled = results.get(0);
        assertEquals(3, stalled.stalled()); // the warm-up and both runs
        assertEquals(3, stalled.runs());
        assertTrue(Double.isNaN(stalled.median()));
        assertEquals("| never-ends | - | - | stalled 3 of 3 | - | - |\n", Report.row(stalled, results));
        SideBySide.Result finished = results.get(1);
        assertEquals(0, finished.stalled());
        assertEquals(2, finished.rates().size());
        assertFalse(Report.row(finished, results).contains("stalled"));
    }

    @Test
    void aStallAmongFinishedRunsIsToldBesideTheirRange() {
        SideBySide.Result result =
                new SideBySide.Result(Workload.LINES_64, "tether-receive", "epoll", List.of(2e6, 1e6, 3e6, 4e6), 1, 6);

        assertEquals(
                "| tether-receive | epoll | 2,500,000 | 1,000,000–4,000,000, stalled 1 of 6 | - | - |\n",
                Report.row(result, List.of(result)));
        assertTrue(Report.line(result, List.of(result)).endsWith(" stalled=1/6"));
    }

    @Test
    void aChildsArgumentsAndResultLineGoRoundTrip() {
        ForkedPeer.ChildArgs args = new ForkedPeer.ChildArgs(
                "tether-publisher", Transport.AUTO, Workload.LENPREF_4096, 1234, 5678, Duration.ofSeconds(120));
        List<String> line = args.toArgs();

        assertEquals("--child", line.get(0));
        assertEquals(args, ForkedPeer.ChildArgs.parse(line.subList(1, line.size())));
        ForkedPeer.ChildArgs cold = new ForkedPeer.ChildArgs(
                "netty", Transport.EPOLL, Workload.LINES_64, 1, 2, Duration.ofSeconds(3), false);
        List<String> coldLine = cold.toArgs();
        assertEquals(cold, ForkedPeer.ChildArgs.parse(coldLine.subList(1, coldLine.size())));
        ForkedPeer.ChildResult ran = new ForkedPeer.ChildResult("epoll", 42);
        ForkedPeer.ChildResult stalled = new ForkedPeer.ChildResult("io_uring", -1);
        assertEquals(ran, ForkedPeer.ChildResult.parse(List.of("some noise", ran.line())));
        assertEquals("tether-bench-run transport=io_uring nanos=stalled", stalled.line());
        assertTrue(ForkedPeer.ChildResult.parse(List.of(stalled.line())).stalled());
        assertThrows(IllegalStateException.class, () -> ForkedPeer.ChildResult.parse(List.of("nothing")));
        assertTrue(ForkedPeer.isDebug("-agentlib:jdwp=transport=dt_socket,server=y"));
        assertFalse(ForkedPeer.isDebug("-Xmx1g"));
    }

    @Test
    void aBaselineTwinRunsTheOtherBuildsJarInARowOfItsOwn() throws Exception {
        Path jar = Files.createTempFile("before", ".jar");
        try {
            ForkedPeer twin = new ForkedPeer("tether-batch", Transport.AUTO, SHORT).baseline(jar);
            String label = jar.getFileName().toString().replaceFirst("\\.jar$", "");

            assertEquals("tether-batch@" + label, twin.name());
            assertEquals(
                    jar,
                    SideBySide.Options.parse("--fork", "--baseline", jar.toString())
                            .baseline());
            List<String> command = ForkedPeer.command(jar.toString(), List.of("--child", "tether-batch"));
            assertEquals(jar.toString(), command.get(command.indexOf("-cp") + 1));
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> SideBySide.Options.parse("--baseline", jar.toString()))
                    .getMessage()
                    .startsWith("--baseline runs forked: add --fork or --cold"));
        } finally {
            Files.delete(jar);
        }
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> SideBySide.Options.parse("--fork", "--baseline", jar.toString()))
                .getMessage()
                .startsWith("--baseline: no file "));
    }

    @Test
    @Timeout(90) // a JVM start with the build's agents: seconds on a busy machine
    void issue9_aForkedRunIsAFreshJvmOnTheReadmeDefaults() throws Exception {
        long messages = Workload.LINES_64.messagesFor(300 * 1024) + 3;
        server.prepare(Workload.LINES_64, messages);
        ForkedPeer peer = new ForkedPeer("tether-receive", Transport.AUTO, Duration.ofSeconds(20));

        assertTrue(peer.receive(Workload.LINES_64, messages, server.port()) > 0);
        assertTrue(List.of("nio", "epoll", "io_uring").contains(peer.transport()), peer.transport());
    }

    @Test
    @Timeout(90)
    void issue9_aForkedRunThatNeverEndsIsStalledAndItsJvmExits() {
        server.prepare(Workload.LINES_64, Long.MAX_VALUE / 2);
        ForkedPeer peer = new ForkedPeer("tether-publisher", Transport.AUTO, SHORT);

        RunStalledException e =
                assertThrows(RunStalledException.class, () -> peer.receive(Workload.LINES_64, 10, server.port()));

        assertTrue(e.getMessage().endsWith("on lines-64: stalled, no end within 1.0 s"), e.getMessage());
    }

    /** A peer whose runs never end: it waits until interrupted. */
    private static final class NeverEnds implements Peer {
        @Override
        public String name() {
            return "never-ends";
        }

        @Override
        public String transport() {
            return "-";
        }

        @Override
        public long receive(Workload workload, long messages, int port) throws InterruptedException {
            new CountDownLatch(1).await();
            throw new AssertionError("unreachable");
        }
    }
}
