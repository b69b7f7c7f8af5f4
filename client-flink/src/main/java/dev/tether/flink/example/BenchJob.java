/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import dev.tether.flink.Endpoint;
import dev.tether.flink.TetherSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * One measurement of {@link FlinkBench}: a Flink job that reads the feed's endpoints with one source variant into
 * {@link CountingFunction} and Flink's {@link DiscardingSink}, on the environment {@code getExecutionEnvironment()}
 * gives (a MiniCluster in a plain JVM).
 *
 * <p>Its {@link #main} is what the benchmark forks: {@code BenchJob <variant> <host:port>[,<host:port>...]} prints
 * one {@code result records=R timed=T nanos=D} line on stdout and exits 0, or prints one line on stderr and exits 1.
 */
final class BenchJob {
    private BenchJob() {}

    /**
     * Runs one variant in a fresh JVM; see the class comment.
     *
     * @param args the variant's name and the endpoints
     */
    public static void main(String[] args) {
        try {
            if (args.length != 2) {
                throw new IllegalArgumentException("usage: BenchJob <variant> <host:port>[,<host:port>...]");
            }
            Result result = run(Variant.named(args[0]), List.of(args[1].split(",", -1)));
            System.out.println(result.line());
            System.exit(0);
        } catch (Exception e) {
            System.err.println("error: " + e);
            System.exit(1);
        }
    }

    /** Runs one variant in this JVM and returns what its counting function saw. */
    static Result run(Variant variant, List<String> endpoints) throws Exception {
        if (endpoints.size() != variant.endpoints) {
            throw new IllegalArgumentException(
                    variant.label + " reads " + variant.endpoints + " endpoints, was given " + endpoints);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(variant.parallelism);
        if (variant.tether) {
            // the defaults a newcomer gets: the docs' builder with nothing but endpoints and bounded
            TetherSource.Builder<String, String> builder =
                    TetherSource.builder().bounded(true);
            endpoints.forEach(builder::endpoint);
            count(env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "tether"));
        } else {
            // socketTextStream cannot run in parallel: one source per endpoint
            List<DataStream<String>> sources = new ArrayList<>();
            for (String e : endpoints) {
                Endpoint endpoint = Endpoint.of(e);
                sources.add(env.socketTextStream(endpoint.host(), endpoint.port()));
            }
            if (variant == Variant.SOCKET_X2_APART) {
                // the control: each source chained into a counter of its own (accumulators merge by name)
                sources.forEach(BenchJob::count);
            } else {
                DataStream<String> lines = sources.get(0);
                for (DataStream<String> more : sources.subList(1, sources.size())) {
                    lines = lines.union(more);
                }
                count(lines);
            }
        }
        JobExecutionResult done = env.execute("tether-flink-bench " + variant.label);
        long records = accumulator(done, CountingFunction.RECORDS);
        // without a record, first and last are still their accumulators' extremes: no window
        long nanos =
                records == 0 ? 0 : accumulator(done, CountingFunction.LAST) - accumulator(done, CountingFunction.FIRST);
        return new Result(records, accumulator(done, CountingFunction.TIMED), nanos);
    }

    private static void count(DataStream<String> lines) {
        lines.process(new CountingFunction()).name("count").sinkTo(new DiscardingSink<>());
    }

    private static long accumulator(JobExecutionResult done, String name) {
        Long value = done.getAccumulatorResult(name);
        if (value == null) {
            throw new IllegalStateException("the job reported no accumulator " + name);
        }
        return value;
    }

    /**
     * The sources compared: Tether's, and Flink's own {@code socketTextStream}, whose two-endpoint form is two
     * sources unioned into one stream (the union's exchange included), and, as a control, two sources each with a
     * counter of its own.
     */
    enum Variant {
        TETHER_P1("tether p=1", true, 1, 1),
        TETHER_P2("tether p=2", true, 2, 2),
        SOCKET_P1("socket p=1", false, 1, 1),
        SOCKET_X2("socket x2", false, 2, 2),
        /** Not a way to read two endpoints into one stream: the control that shows what the union costs. */
        SOCKET_X2_APART("socket x2 apart", false, 2, 1);

        final String label;
        final boolean tether;
        final int endpoints;
        final int parallelism;

        Variant(String label, boolean tether, int endpoints, int parallelism) {
            this.label = label;
            this.tether = tether;
            this.endpoints = endpoints;
            this.parallelism = parallelism;
        }

        static Variant named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown variant " + name, e);
            }
        }
    }

    /**
     * What one run's counting function saw, summed over its subtasks.
     *
     * @param records every record counted
     * @param timed the records up to each subtask's last clock reading
     * @param nanos from the first record (of any subtask) to the last clock reading (of any subtask)
     */
    record Result(long records, long timed, long nanos) {
        private static final String PREFIX = "result ";

        /** Messages per second over the timed window; NaN if the window is empty. */
        double messagesPerSecond() {
            return nanos <= 0 ? Double.NaN : timed * 1e9 / nanos;
        }

        String line() {
            return PREFIX + "records=" + records + " timed=" + timed + " nanos=" + nanos;
        }

        /** Parses the line {@link #line()} prints, or returns null if {@code line} is not one. */
        static Result parse(String line) {
            if (!line.startsWith(PREFIX)) {
                return null;
            }
            String[] fields = line.substring(PREFIX.length()).split(" ");
            if (fields.length != 3) {
                return null;
            }
            long[] values = new long[3];
            String[] names = {"records=", "timed=", "nanos="};
            for (int i = 0; i < 3; i++) {
                if (!fields[i].startsWith(names[i])) {
                    return null;
                }
                try {
                    values[i] = Long.parseLong(fields[i].substring(names[i].length()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return new Result(values[0], values[1], values[2]);
        }
    }
}
