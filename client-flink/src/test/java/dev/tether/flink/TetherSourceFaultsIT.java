/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source in whole jobs on Flink's MiniCluster when things go wrong: a server that restarts, a sink that stops,
 * a task that fails and restores from a checkpoint (issue 14). The feeds are {@link ReplayServer}s, which replay
 * from the position a resumable source asks for.
 */
@Timeout(120)
class TetherSourceFaultsIT {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    // what the job's functions share with the test: the job runs in this JVM, and its functions are copies
    private static final Queue<String> SUNK = new ConcurrentLinkedQueue<>();
    private static final AtomicLong SUNK_COUNT = new AtomicLong();
    private static final AtomicLong OUT_OF_ORDER = new AtomicLong();
    private static final AtomicBoolean CHECKPOINTED_AFTER_1000 = new AtomicBoolean();
    private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
    private static volatile CountDownLatch gate = new CountDownLatch(0);

    @BeforeEach
    void reset() {
        SUNK.clear();
        SUNK_COUNT.set(0);
        OUT_OF_ORDER.set(0);
        CHECKPOINTED_AFTER_1000.set(false);
        FAILED_ONCE.set(false);
        gate = new CountDownLatch(0);
    }

    @Test
    void aServerRestartMidStreamIsRiddenOutAndTheStreamResumesWhereItStopped() throws Exception {
        int total = 6_000;
        ReplayServer first =
                ReplayServer.start(0, total, 0, i -> new ReplayServer.Session(3_000, ReplayServer.End.STALL));
        int port = first.address().getPort();
        TetherSource<String> source = TetherSource.builder()
                .endpoint(first.address())
                .config(() -> ClientConfig.builder().reconnect(ReconnectPolicy.fixed(Duration.ofMillis(20))))
                .resume(ReplayServer::sequenceOf, ReplayServer::resumeLine)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<String> got = new ArrayList<>();
        ReplayServer second = null;
        try (CloseableIterator<String> lines = env.fromSource(source, WatermarkStrategy.noWatermarks(), "tether")
                .executeAndCollect("tether-restart")) {
            while (got.size() < 3_000) {
                got.add(lines.next());
            }
            first.close(); // the server goes away: its connection closes, and connects are refused for a while
            second = ReplayServer.start(port, total, 0, i -> new ReplayServer.Session(total, ReplayServer.End.STALL));
            while (got.size() < total) {
                got.add(lines.next());
            }
            assertEquals(List.of("START"), first.firstLines());
            assertEquals(List.of("FROM 2999"), second.firstLines(), "the restarted server is asked to resume");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
        assertEquals(sequence(0, total), got, "every line once, in order, across the restart");
    }

    @Test
    void aStoppedSinkBlocksTheFeedServerWithBoundedMemoryThenEveryLineArrives() throws Exception {
        int total = 700_000;
        int padding = 100; // ~75 MB in all
        try (ReplayServer server =
                ReplayServer.start(0, total, padding, i -> new ReplayServer.Session(total, ReplayServer.End.CLOSE))) {
            gate = new CountDownLatch(1);
            TetherSource<String> source = TetherSource.builder()
                    .endpoint(server.address(), "START")
                    .bounded(true)
                    .build();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "tether")
                    .map(new Gate())
                    .sinkTo(new CountingSink());
            JobClient job = env.executeAsync("tether-backpressure");

            // the sink's task waits at the gate: Flink stops polling, the reader's window and Tether's inbox fill,
            // Tether stops reading, the socket buffers fill, and the server's writes block
            long stalled = awaitStall(server);
            assertTrue(
                    stalled < 32L << 20,
                    "the server wrote " + stalled + " bytes before blocking: more than window, inbox and socket"
                            + " buffers hold, so something buffers without bound");
            assertEquals(0, SUNK_COUNT.get());

            gate.countDown();
            job.getJobExecutionResult().get(90, TimeUnit.SECONDS);
            assertEquals(total, SUNK_COUNT.get());
            assertEquals(0, OUT_OF_ORDER.get(), "lines out of order");
            assertEquals(List.of(), server.failures());
        } finally {
            gate.countDown();
        }
    }

    @Test
    void aFailedTaskRestoresItsSplitsFromTheCheckpointAndResumesFromTheirPositions() throws Exception {
        int total = 2_000;
        // the first connection sends 1,000 lines, then holds until released; a later one serves what it is asked
        try (ReplayServer server = ReplayServer.start(
                0,
                total,
                0,
                i -> i == 0
                        ? new ReplayServer.Session(1_000, ReplayServer.End.HOLD)
                        : new ReplayServer.Session(total, ReplayServer.End.CLOSE))) {
            Configuration config = new Configuration();
            config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(10));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(1);
            env.enableCheckpointing(50);
            TetherSource<String> source = TetherSource.builder()
                    .endpoint(server.address())
                    .bounded(true)
                    .resume(ReplayServer::sequenceOf, ReplayServer::resumeLine)
                    .build();
            env.fromSource(source, WatermarkStrategy.noWatermarks(), "tether")
                    .map(new FailOnceAfterACheckpointOf1000())
                    .sinkTo(new CountingSink());
            JobClient job = env.executeAsync("tether-restore");

            Await.until(
                    CHECKPOINTED_AFTER_1000::get, Duration.ofSeconds(30), "a checkpoint completed after 1,000 lines");
            server.release(); // line 1000 reaches the map, which fails the task once
            job.getJobExecutionResult().get(90, TimeUnit.SECONDS);

            assertTrue(FAILED_ONCE.get(), "the task never failed");
            assertEquals(
                    List.of("START", "FROM 999"),
                    server.firstLines(),
                    "after the restore, the split resumes from its checkpointed position");
            List<String> sunk = SUNK.stream().map(ReplayServer::sequenceOf).toList();
            assertEquals(sequence(0, total), sunk, "every line once: the restore replays nothing the sink had");
        }
    }

    /** Waits until the server's byte count has not grown for a second; returns it. */
    private static long awaitStall(ReplayServer server) {
        long[] last = {-1};
        long[] changedAt = {System.nanoTime()};
        Await.until(
                () -> {
                    long now = server.bytesWritten();
                    if (now != last[0]) {
                        last[0] = now;
                        changedAt[0] = System.nanoTime();
                    }
                    return now > 0 && System.nanoTime() - changedAt[0] > TimeUnit.SECONDS.toNanos(1);
                },
                Duration.ofSeconds(60),
                "the feed server's writes to block");
        return last[0];
    }

    private static List<String> sequence(int from, int to) {
        return IntStream.range(from, to).mapToObj(String::valueOf).toList();
    }

    /** Holds the first record until the test opens the gate. */
    private static final class Gate implements MapFunction<String, String> {
        @Override
        public String map(String line) throws InterruptedException {
            if (!gate.await(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate never opened");
            }
            return line;
        }
    }

    /**
     * Fails the task once, on the first line after a checkpoint that had seen at least 1,000 lines completed; so
     * the restore goes back to exactly that checkpoint.
     */
    private static final class FailOnceAfterACheckpointOf1000
            implements MapFunction<String, String>, CheckpointedFunction, CheckpointListener {
        private long seen;
        private final Map<Long, Long> seenAtCheckpoint = new HashMap<>();

        @Override
        public String map(String line) {
            if (CHECKPOINTED_AFTER_1000.get() && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("failing once after a checkpoint, on purpose, at line " + line);
            }
            seen++;
            return line;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            seenAtCheckpoint.put(context.getCheckpointId(), seen);
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            Long at = seenAtCheckpoint.get(checkpointId);
            if (at != null && at >= 1_000) {
                CHECKPOINTED_AFTER_1000.set(true);
            }
        }
    }

    /** Keeps the lines (up to 10,000 of them), counts them all, and counts those not in sequence order. */
    private static final class CountingSink implements Sink<String> {
        @Override
        public SinkWriter<String> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(String line, Context context) {
                    long n = SUNK_COUNT.getAndIncrement();
                    if (n < 10_000) {
                        SUNK.add(line);
                    }
                    if (!ReplayServer.sequenceOf(line).equals(Long.toString(n))) {
                        OUT_OF_ORDER.incrementAndGet();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
