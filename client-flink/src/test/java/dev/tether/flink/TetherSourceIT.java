/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.ClientConfig;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the source on Flink's MiniCluster against in-JVM line servers (issue 14). */
class TetherSourceIT {
    private static final int ENDPOINTS = 6; // not a multiple of 4, so readers get unequal shares
    private static final int LINES = 2_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    // what the discovery function of discoveredEndpointsJoinTheRunningJob sees; static, as the function is serialized
    private static final List<Endpoint> DISCOVERABLE = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean DISCOVERY_FAILS = new AtomicBoolean();

    @Test
    void discoveredEndpointsJoinTheRunningJobAndAFailingDiscoveryDoesNotStopIt() throws Exception {
        DISCOVERY_FAILS.set(true);
        DISCOVERABLE.clear();
        try (ScriptedServer configured = ScriptedServer.start(
                        Script.create().sendLines("c-0", "c-1").stall());
                ScriptedServer discovered = ScriptedServer.start(
                        Script.create().sendLines("d-0", "d-1").stall())) {
            TetherSource<String> source = TetherSource.builder()
                    .endpoint(configured.address())
                    .discovery(
                            () -> {
                                if (DISCOVERY_FAILS.get()) {
                                    throw new IllegalStateException("registry not ready (on purpose)");
                                }
                                return List.copyOf(DISCOVERABLE);
                            },
                            Duration.ofMillis(20))
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            try (CloseableIterator<String> lines = env.fromSource(source, WatermarkStrategy.noWatermarks(), "tether")
                    .executeAndCollect("tether-discovery")) {
                List<String> got = new ArrayList<>();
                got.add(lines.next());
                got.add(lines.next());
                assertEquals(List.of("c-0", "c-1"), got.stream().sorted().toList());
                assertEquals(0, discovered.acceptedCount(), "nothing discovered while discovery throws");

                DISCOVERABLE.add(Endpoint.of(configured.address())); // known already: not read twice
                DISCOVERABLE.add(Endpoint.of(discovered.address()));
                DISCOVERY_FAILS.set(false);
                got.add(lines.next());
                got.add(lines.next());
                assertEquals(
                        List.of("c-0", "c-1", "d-0", "d-1"),
                        got.stream().sorted().toList());
                assertEquals(1, configured.acceptedCount());
                assertEquals(1, discovered.acceptedCount());
            }
        } finally {
            DISCOVERABLE.clear();
        }
    }

    @Test
    void unboundedSourceDeliversWhileTheServersStayOpenAndStopsOnCancel() throws Exception {
        List<ScriptedServer> servers = new ArrayList<>();
        try {
            TetherSource.Builder<String, String> builder = TetherSource.builder();
            for (int e = 0; e < 3; e++) {
                ScriptedServer server = ScriptedServer.start(Script.create()
                        .sendLines("u" + e + "-0", "u" + e + "-1")
                        .stall());
                servers.add(server);
                builder.endpoint(server.address());
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);

            // collecting a fixed count cancels the job once it is reached: the source itself never ends
            List<String> lines = env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "tether")
                    .executeAndCollect("tether-unbounded", 6);

            assertEquals(
                    List.of("u0-0", "u0-1", "u1-0", "u1-1", "u2-0", "u2-1"),
                    lines.stream().sorted().toList());
        } finally {
            servers.forEach(ScriptedServer::close);
        }
    }

    @Test
    void eventTimeWindowsCloseOnPerEndpointWatermarksAndLoseNothing() throws Exception {
        int lines = 3_000; // each line is its own timestamp, in ms
        try (ReplayServer a =
                        ReplayServer.start(0, lines, 0, i -> new ReplayServer.Session(lines, ReplayServer.End.CLOSE));
                ReplayServer b =
                        ReplayServer.start(0, lines, 0, i -> new ReplayServer.Session(lines, ReplayServer.End.CLOSE))) {
            TetherSource<Long> source = TetherSource.builder()
                    .endpoint(a.address(), "START")
                    .endpoint(b.address(), "START")
                    .bounded(true)
                    .deserializer(Long::parseLong, Types.LONG)
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1); // both endpoints on one reader: their watermarks must not mix
            // each endpoint's timestamps only grow, but the two interleave as they arrive: one watermark for the
            // reader would run ahead of the slower endpoint and drop its lines as late
            WatermarkStrategy<Long> monotonous =
                    WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((ms, previous) -> ms);
            List<Long> counts = env.fromSource(source, monotonous, "tether")
                    .keyBy(ms -> 0)
                    .window(TumblingEventTimeWindows.of(Duration.ofMillis(500)))
                    .aggregate(new Count())
                    .executeAndCollect("tether-event-time", 100);
            assertEquals(List.of(1_000L, 1_000L, 1_000L, 1_000L, 1_000L, 1_000L), counts, "lines per 500 ms window");
        }
    }

    @Test
    void aBinarySourceWithADeserializationSchemaRunsInAJob() throws Exception {
        Script frames = Script.create()
                .sendFrame(2, "alpha")
                .sendFrame(2, "beta")
                .sendFrame(2, "gamma")
                .close();
        try (ScriptedServer server = ScriptedServer.start(frames)) {
            TetherSource<String> source = TetherSource.bytesBuilder()
                    .endpoint(server.address())
                    .config(() -> ClientConfig.builder(Codec.bytes()).framing(Framing.lengthField(2, 64)))
                    .deserializer(new SimpleStringSchema())
                    .bounded(true)
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            List<String> got = env.fromSource(source, WatermarkStrategy.noWatermarks(), "tether-bytes")
                    .executeAndCollect("tether-schema", 10);
            assertEquals(List.of("alpha", "beta", "gamma"), got);
        }
    }

    /** Counts the elements of a window. */
    private static final class Count implements AggregateFunction<Long, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long value, Long accumulator) {
            return accumulator + 1;
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 4})
    void boundedSourceReadsEveryLineOfEveryEndpointExactlyOnce(int parallelism) throws Exception {
        List<ScriptedServer> servers = new ArrayList<>();
        try {
            TetherSource.Builder<String, String> builder =
                    TetherSource.builder().bounded(true);
            for (int e = 0; e < ENDPOINTS; e++) {
                String[] lines = new String[LINES];
                for (int i = 0; i < LINES; i++) {
                    lines[i] = "e" + e + "-" + i;
                }
                ScriptedServer server =
                        ScriptedServer.start(Script.create().sendLines(lines).close());
                servers.add(server);
                builder.endpoint(server.address());
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(parallelism);

            Map<String, Integer> seen = new HashMap<>();
            try (CloseableIterator<String> lines = env.fromSource(
                            builder.build(), WatermarkStrategy.noWatermarks(), "tether")
                    .executeAndCollect("tether-bounded-p" + parallelism)) {
                lines.forEachRemaining(line -> seen.merge(line, 1, Integer::sum));
            }

            List<String> duplicates = new ArrayList<>();
            seen.forEach((line, count) -> {
                if (count != 1) {
                    duplicates.add(line + " x" + count);
                }
            });
            assertEquals(List.of(), duplicates, "lines emitted more than once");
            for (int e = 0; e < ENDPOINTS; e++) {
                for (int i = 0; i < LINES; i++) {
                    if (!seen.containsKey("e" + e + "-" + i)) {
                        throw new AssertionError("line e" + e + "-" + i + " is missing; got " + seen.size() + " of "
                                + ENDPOINTS * LINES + " lines");
                    }
                }
            }
            assertEquals(ENDPOINTS * LINES, seen.size());
            for (ScriptedServer server : servers) {
                server.assertNoFailures();
                assertEquals(1, server.acceptedCount(), "connections accepted by " + server);
            }
        } finally {
            servers.forEach(ScriptedServer::close);
        }
    }
}
