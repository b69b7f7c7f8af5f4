/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.Transport;
import dev.tether.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13: the rows that read statistics during a run, their check against the handler, and their options. */
class StatsWatcherTest {
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
    void issue13_statsThatMissAMessageFailTheRun() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> StatsWatcher.verify("tether-stats", Workload.LINES_64, 10, 9));

        assertEquals("tether-stats on lines-64: stats() counted 9 messages received, the handler 10", e.getMessage());
        StatsWatcher.verify("tether-stats", Workload.LINES_64, 10, 10);
    }

    @Test
    void issue13_theStatsWatcherReadsTheClientAndItsConnection() throws Exception {
        List<String> lines = watch(StatsWatcher.Kind.STATS);

        assertTrue(lines.get(1).startsWith("bench-watched: "), lines.get(1));
        assertTrue(lines.get(1).contains(" messages, ") && lines.get(1).contains("; "), lines.get(1));
    }

    @Test
    void issue13_theMetricsWatcherScrapesTheBoundRegistry() throws Exception {
        List<String> scrape = watch(StatsWatcher.Kind.METRICS);

        assertTrue(scrape.get(1).contains("tether_messages_received"), scrape.get(1));
    }

    @Test
    void issue13_nothingWatchesThePlainHandler() throws Exception {
        assertEquals(List.of("0", ""), watch(StatsWatcher.Kind.NONE));
    }

    @Test
    void issue13_theMetricsPresetAndTheClientNames() {
        assertEquals(
                SideBySide.METRICS_CLIENTS,
                SideBySide.Options.parse("--metrics").clients());
        assertTrue(SideBySide.Options.parse("--metrics").metrics());
        assertEquals(
                List.of("tether-stats", "tether-metrics"),
                SideBySide.Options.parse("--clients", "tether-stats,tether-metrics")
                        .clients());
        assertFalse(SideBySide.DEFAULT_CLIENTS.contains("tether-stats"));
        assertFalse(SideBySide.DEFAULT_CLIENTS.contains("tether-metrics"));
        assertTrue(SideBySide.DEFAULT_CLIENTS.contains("tether-strings"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> SideBySide.Options.parse("--metrics", "--clients", "netty"))
                .getMessage()
                .startsWith("--metrics picks its clients over plain TCP: drop --clients"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse("--metrics", "--tls"))
                .getMessage()
                .startsWith("--metrics picks its clients over plain TCP: drop --tls"));
        ForkedPeer.ChildArgs child = new ForkedPeer.ChildArgs(
                "tether-metrics", Transport.AUTO, Workload.LINES_64, 1, 2, Duration.ofSeconds(3));
        List<String> line = child.toArgs();
        assertEquals(child, ForkedPeer.ChildArgs.parse(line.subList(1, line.size())));
    }

    @Test
    void issue13_theMetricsPageRatesEachRowAgainstThePlainHandler() {
        SideBySide.Result strings = new SideBySide.Result(Workload.LINES_64, "tether-strings", "epoll", List.of(4e6));
        SideBySide.Result stats = new SideBySide.Result(Workload.LINES_64, "tether-stats", "epoll", List.of(3e6));
        SideBySide.Result other = new SideBySide.Result(Workload.LINES_64, "tether-stats", "nio", List.of(3e6));
        List<SideBySide.Result> all = List.of(strings, stats, other);

        assertEquals(
                "| tether-stats | epoll | 3,000,000 | 3,000,000–3,000,000 | 0.75 | - | - |\n",
                Report.row(stats, all, true));
        assertEquals(
                "| tether-stats | nio | 3,000,000 | 3,000,000–3,000,000 | - | - | - |\n", Report.row(other, all, true));
        assertEquals("| tether-stats | epoll | 3,000,000 | 3,000,000–3,000,000 | - | - |\n", Report.row(stats, all));
    }

    /**
     * Watches a client connected to a short feed until the watcher looked again after the connect (NONE: never
     * looks); returns how many times it looked and what it saw last.
     */
    private static List<String> watch(StatsWatcher.Kind kind) throws Exception {
        server.prepare(Workload.LINES_64, 1000);
        ClientConfig.Builder<String> builder = ClientConfig.builder()
                .remoteAddress("127.0.0.1", server.port())
                .name("bench-watched")
                .framing(TetherPeer.framing(Workload.LINES_64));
        StatsWatcher watcher = StatsWatcher.prepare(kind, builder);
        try (watcher;
                TetherClient<String> client = TetherClient.create(builder.build())) {
            watcher.start(kind, client);
            Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
            watcher.connected(connection);
            if (kind != StatsWatcher.Kind.NONE) {
                int seen = watcher.looks();
                Await.until(() -> watcher.looks() > seen, Duration.ofSeconds(10), "another look");
            }
            return List.of(Integer.toString(watcher.looks()), watcher.last());
        }
    }
}
