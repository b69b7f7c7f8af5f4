/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.Transport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every client of the ping-pong benchmark completes its round trips with sane times; the figures are checked. */
class PingPongTest {
    private static final int ROUND_TRIPS = 2_000;

    private static EchoServer server;
    private static Transport transport;

    @BeforeAll
    static void startServer() throws Exception {
        server = new EchoServer();
        transport = TetherPingPeer.autoTransport(server.port());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tether-handler", "tether-future", "tether-receive", "netty", "blocking-socket"})
    void eachClientCompletesItsRoundTrips(String name) throws Exception {
        try (PingPeer peer = PingPong.peers(transport).stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow()) {
            long[] nanos = peer.pingPong(server.port(), 200, ROUND_TRIPS);

            assertEquals(ROUND_TRIPS, nanos.length);
            assertTrue(Arrays.stream(nanos).allMatch(n -> n > 0), "every round trip timed");
            Latency latency = Latency.of(nanos);
            assertTrue(latency.p50() <= latency.p99() && latency.p99() <= latency.p999(), latency.toString());
            assertTrue(latency.p999() < 10_000_000_000L, "a round trip on loopback under 10 s: " + latency);
        }
    }

    @Test
    void theRunnerReportsEveryClientOnce() throws Exception {
        List<PingPong.Result> results = PingPong.run(PingPong.Options.parse("--round-trips", "100", "--warmup", "0"));

        assertEquals(
                PingPong.CLIENTS, results.stream().map(PingPong.Result::client).toList());
        assertTrue(PingPong.line(results.get(0), results).startsWith("client=tether-handler transport="));
        assertTrue(LatencyReport.markdown(
                        PingPong.Options.parse("--out", "docs/latency.md"),
                        results,
                        "a machine",
                        "0.5 before, 0.7 after")
                .contains("| netty | "));
    }

    @Test
    void aWrongEchoEndsTheRunAndSaysWhere() {
        RoundTrips.Relay relay = new RoundTrips.Relay("x", 0, 2);
        relay.first();

        assertEquals(null, relay.next("something else"));
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> relay.done().get());
        assertEquals(
                "x: round trip 0 sent '" + RoundTrips.payload(0) + "' but got back 'something else'",
                e.getCause().getMessage());
    }

    @Test
    void everyPingIsOneLineOf64BytesAndDiffersFromTheLast() {
        assertEquals(63, RoundTrips.payload(0).length());
        assertEquals(63, RoundTrips.payload(Integer.MAX_VALUE).length());
        assertTrue(RoundTrips.payload(199_999).endsWith(" 199999"));
        assertTrue(RoundTrips.payload(7).chars().allMatch(c -> c >= ' ' && c < 127));
    }

    @Test
    void percentilesAreNearestRankAndMediansTakenOneByOne() {
        Latency latency = Latency.of(
                IntStream.rangeClosed(1, 1000).mapToLong(i -> 1001 - i).toArray());

        assertEquals(new Latency(500, 990, 999), latency);
        assertEquals(new Latency(7, 7, 7), Latency.of(new long[] {7}));
        assertEquals(
                new Latency(2, 20, 30),
                Latency.median(List.of(new Latency(1, 30, 30), new Latency(2, 10, 40), new Latency(3, 20, 20))));
    }

    @Test
    void optionsAreParsedAndBadOnesExplained() {
        PingPong.Options defaults = PingPong.Options.parse();
        assertEquals(new PingPong.Options(200_000, 20_000, 3, null), defaults);
        assertEquals(
                new PingPong.Options(5, 0, 1, Path.of("x.md")),
                PingPong.Options.parse("--round-trips", "5", "--warmup", "0", "--reps", "1", "--out", "x.md"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PingPong.Options.parse("--reps", "0"))
                .getMessage()
                .startsWith("--reps takes a whole number of at least 1, not '0'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PingPong.Options.parse("--warmup", "-1"))
                .getMessage()
                .startsWith("--warmup takes a whole number of at least 0, not '-1'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PingPong.Options.parse("--fast", "1"))
                .getMessage()
                .startsWith("unknown option --fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PingPong.Options.parse("--out"))
                .getMessage()
                .startsWith("missing value for --out"));
    }
}
