/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.FlakyServer;
import dev.tether.examples.server.FlakyServer.Fate;
import dev.tether.examples.server.FlakyServer.Plan;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The flaky demo server, seen through plain JDK sockets: each fate of its schedule happens as planned. */
class FlakyServerIT {
    private static final Duration INTERVAL = Duration.ofMillis(10);

    /** A seed whose first four connections meet all four fates: one test sees each of them. */
    private static final long EVERY_FATE = seedWhere(
            plans -> EnumSet.copyOf(plans.stream().map(Plan::fate).toList()).size() == Fate.values().length);

    /** A seed whose first connection gets some ticks before its fate. */
    private static final long LIVE_FIRST = seedWhere(plans -> plans.get(0).fate() != Fate.HANG_UP_AT_ONCE);

    private static long seedWhere(Predicate<List<Plan>> firstFour) {
        return LongStream.range(0, 10_000)
                .filter(seed -> firstFour.test(FlakyServer.schedule(seed, 4)))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theSameSeedGivesTheSameSchedule() {
        assertEquals(FlakyServer.schedule(7, 50), FlakyServer.schedule(7, 50));
        assertNotEquals(FlakyServer.schedule(7, 50), FlakyServer.schedule(8, 50));
        assertEquals(
                EnumSet.allOf(Fate.class),
                EnumSet.copyOf(
                        FlakyServer.schedule(1, 50).stream().map(Plan::fate).toList()));
    }

    @Test
    void eachConnectionMeetsItsPlannedFateAndTicksCountOnAcrossConnections() throws Exception {
        List<Plan> plans = FlakyServer.schedule(EVERY_FATE, 4);
        List<String> ticks = new ArrayList<>();
        try (DemoServer server = new FlakyServer(EVERY_FATE, INTERVAL).start(0)) {
            for (Plan plan : plans) {
                try (Socket socket = new Socket(DemoServer.HOST, server.port())) {
                    // generous while ticks are due: a loaded machine can delay one far beyond its interval
                    socket.setSoTimeout(10_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
                    for (int i = 0; i < plan.ticks(); i++) {
                        ticks.add(in.readLine());
                    }
                    switch (plan.fate()) {
                        case HANG_UP_AT_ONCE, DROP -> assertNull(in.readLine(), plan.toString());
                        case RESET ->
                            assertEquals(
                                    "Connection reset",
                                    assertThrows(SocketException.class, in::readLine)
                                            .getMessage());
                        case SILENCE -> {
                            // ten intervals of silence is "gone silent"; the server closes a silent one after fifty
                            socket.setSoTimeout((int) INTERVAL.multipliedBy(10).toMillis());
                            new PrintWriter(socket.getOutputStream(), true, UTF_8).println("hello?");
                            assertThrows(SocketTimeoutException.class, in::readLine, "a silent server answers nothing");
                        }
                    }
                }
            }
        }
        int total = plans.stream().mapToInt(Plan::ticks).sum();
        assertEquals(LongStream.rangeClosed(1, total).mapToObj(n -> "tick " + n).toList(), ticks);
    }

    @Test
    void aLiveConnectionAcknowledgesLinesButNotHeartbeats() throws Exception {
        // a long interval: the first connection is still within its ticks while it answers
        try (DemoServer server = new FlakyServer(LIVE_FIRST, Duration.ofSeconds(5)).start(0);
                Socket socket = new Socket(DemoServer.HOST, server.port())) {
            socket.setSoTimeout(5_000);
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));

            out.println("PING");
            out.println("LOGIN alice");

            assertEquals("ack LOGIN alice", in.readLine());
        }
    }

    @Test
    void anIntervalUnderAMillisecondIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new FlakyServer(1, Duration.ofNanos(999_999)));

        assertEquals("interval must be at least 1 ms, was PT0.000999999S", e.getMessage());
    }
}
