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
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every client of the benchmark receives every workload, and proves the count; the runner's options are checked. */
class PeersTest {
    private static FeedServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new FeedServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static Stream<Arguments> peersAndWorkloads() {
        return Stream.of(Workload.values())
                .flatMap(workload -> Stream.of(
                                "tether-strings",
                                "tether-stats",
                                "tether-metrics-newcomer",
                                "tether-bytes",
                                "tether-batch",
                                "tether-receive",
                                "tether-publisher",
                                "tether-receive-newcomer",
                                "tether-publisher-newcomer",
                                "netty",
                                "netty-newcomer",
                                "reactor-netty",
                                "vertx",
                                "blocking",
                                "raw")
                        .map(peer -> Arguments.of(peer, workload)));
    }

    private static Peer peer(String name) {
        return switch (name) {
            case "tether-strings" -> TetherPeer.strings(Transport.NIO);
            case "tether-stats" -> TetherPeer.watched(Transport.NIO, false, StatsWatcher.Kind.STATS);
            case "tether-metrics-newcomer" -> TetherPeer.watched(Transport.AUTO, true, StatsWatcher.Kind.METRICS);
            case "tether-bytes" -> TetherPeer.bytes(Transport.AUTO);
            case "tether-batch" -> TetherPeer.batches(Transport.NIO, true);
            case "tether-receive" -> TetherPullPeer.receiving(Transport.NIO, false);
            case "tether-publisher" -> TetherPullPeer.publishing(Transport.NIO, false);
            case "tether-receive-newcomer" -> TetherPullPeer.receiving(Transport.NIO, true);
            case "tether-publisher-newcomer" -> TetherPullPeer.publishing(Transport.NIO, true);
            case "netty" -> new NettyPeer(Transport.NIO);
            case "netty-newcomer" -> new NettyPeer(Transport.NIO, true);
            case "reactor-netty" -> new ReactorPeer(false);
            case "vertx" -> new VertxPeer();
            case "blocking" -> new BlockingPeer();
            default -> new RawSinkPeer();
        };
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("peersAndWorkloads")
    void eachPeerReceivesExactlyWhatWasSent(String name, Workload workload) throws Exception {
        // more than one 64 KiB block and not a whole number of them, so every client sees frames split across reads
        long messages = workload.messagesFor(300 * 1024) + 3;
        synchronized (PeersTest.class) {
            server.prepare(workload, messages);
            try (Peer peer = peer(name)) {
                assertTrue(peer.receive(workload, messages, server.port()) > 0);
            }
        }
    }

    @Test
    void aPeerThatMissesAMessageFails() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Peer.verify("x", Workload.LINES_64, 10, 9, 9 * 64));

        assertEquals("x on lines-64: received 9 messages with 576 payload bytes, expected 10 with 640", e.getMessage());
    }

    @Test
    void runsOfLargeMessagesAreLongerSoTheirMedianMeansSomething() {
        SideBySide.Options defaults = SideBySide.Options.parse();

        assertEquals(512L * 1024 * 1024 / 65, SideBySide.messages(Workload.LINES_64, defaults));
        assertEquals(250_000, SideBySide.messages(Workload.LENPREF_4096, defaults));
        // a small --megabytes keeps the floor within four times the bytes asked for
        assertEquals(
                4L * 1024 * 1024 / 4100,
                SideBySide.messages(Workload.LENPREF_4096, SideBySide.Options.parse("--megabytes", "1")));
    }

    @Test
    void everyPeerIsNamedInTheClientsOption() throws Exception {
        for (boolean fork : new boolean[] {false, true}) {
            List<Peer> peers = SideBySide.peers(false, fork, SideBySide.RUN_TIMEOUT);
            try {
                assertEquals(
                        SideBySide.CLIENTS,
                        peers.stream().map(Peer::name).distinct().toList());
            } finally {
                for (Peer peer : peers) {
                    peer.close();
                }
            }
        }
    }

    @Test
    void forkedTetherRowsAreOnePerClientOnAuto() {
        List<Peer> peers = SideBySide.peers(false, true, SideBySide.RUN_TIMEOUT);

        assertEquals(
                List.of("auto"),
                peers.stream()
                        .filter(peer -> peer.name().startsWith("tether-"))
                        .map(Peer::transport)
                        .distinct()
                        .toList());
        assertEquals(
                List.of("nio", "epoll"),
                peers.stream()
                        .filter(peer -> peer.name().equals("netty"))
                        .map(Peer::transport)
                        .toList());
    }

    @Test
    void optionsAreParsedAndBadOnesExplained() {
        SideBySide.Options options =
                SideBySide.Options.parse("--reps", "3", "--megabytes", "8", "--workloads", "lines-64,lenpref-4096");

        assertEquals(3, options.reps());
        assertEquals(List.of(Workload.LINES_64, Workload.LENPREF_4096), options.workloads());
        SideBySide.Options cold = SideBySide.Options.parse("--cold");
        assertTrue(cold.fork() && cold.cold(), "--cold forks too");
        assertFalse(SideBySide.Options.parse("--fork").cold());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse("--reps", "0"))
                .getMessage()
                .startsWith("--reps takes a whole number above 0, not '0'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse("--workloads", "x"))
                .getMessage()
                .startsWith("unknown workload 'x'"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> SideBySide.Options.parse("--clients", "netty,blocking"))
                .getMessage()
                .startsWith("unknown client 'blocking'; known: [tether-strings, "));
        assertEquals(
                List.of("netty", "blocking-socket"),
                SideBySide.Options.parse("--clients", "netty, blocking-socket").clients());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse("--fast"))
                .getMessage()
                .startsWith("missing value for --fast"));
        assertEquals(SideBySide.RUN_TIMEOUT, SideBySide.Options.parse().runTimeout());
        assertEquals(false, SideBySide.Options.parse().fork());
        assertEquals(true, SideBySide.Options.parse("--fork").fork());
        assertEquals(
                Duration.ofSeconds(90),
                SideBySide.Options.parse("--run-timeout", "90s").runTimeout());
        assertEquals(
                Duration.ofSeconds(90),
                SideBySide.Options.parse("--run-timeout", "90").runTimeout());
        assertEquals(
                Duration.ofMillis(500),
                SideBySide.Options.parse("--run-timeout", "500ms").runTimeout());
        assertEquals(
                Duration.ofMinutes(2),
                SideBySide.Options.parse("--run-timeout", "2m").runTimeout());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse("--run-timeout", "0s"))
                .getMessage()
                .startsWith("--run-timeout takes a duration above 0 such as 500ms, 90s or 2m, not '0s'"));
    }
}
