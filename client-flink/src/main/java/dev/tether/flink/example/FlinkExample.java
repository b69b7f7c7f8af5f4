/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import dev.tether.flink.Endpoint;
import dev.tether.flink.TetherSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Counts the lines each TCP endpoint sends, with one {@link TetherSource} per endpoint on Flink.
 *
 * <pre>
 * java -jar tether-flink-example.jar [--endpoints host:port,...] [--parallelism N] [--bounded]
 * </pre>
 *
 * <p>Without {@code --endpoints} it starts three {@link DemoFeed}s on {@code 127.0.0.1} and names them on stderr. At the end of a bounded run it
 * prints {@code endpoint=host:port messages=N} per endpoint, sorted, then {@code total messages=N}, and exits 0;
 * unbounded, it prints each endpoint's running count as it changes until the job is stopped. Bad options exit 2, a
 * failed job (an unreachable endpoint, for one) exits 1, each with one line on stderr.
 *
 * <p>The source's deserializer sees the line but not its endpoint, so each endpoint gets a source of its own whose
 * deserializer tags the line with it; the sources are unioned and keyed by endpoint.
 *
 * @since 0.1
 */
public final class FlinkExample {
    static final int[] DEMO_LINES = {1_000, 2_000, 3_000};
    private static final long DEMO_INTERVAL_MILLIS = 100;
    private static final String USAGE =
            "usage: tether-flink-example [--endpoints host:port,host:port,...] [--parallelism N] [--bounded]";

    private FlinkExample() {}

    /**
     * Runs the example and exits with its status.
     *
     * @param args the options, see the class comment
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the example in this JVM without exiting, for tests and embedding.
     *
     * @param args the options, see the class comment
     * @param out where the counts go
     * @param err where the one-line errors go
     * @return 0 on success, 1 if the job failed, 2 for bad options
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + "; " + USAGE);
            return 2;
        }
        if (options.help) {
            out.println(USAGE);
            return 0;
        }
        List<DemoFeed> feeds = new ArrayList<>();
        try {
            List<String> endpoints = options.endpoints;
            if (endpoints.isEmpty()) {
                endpoints = new ArrayList<>();
                for (int lines : DEMO_LINES) {
                    DemoFeed feed =
                            options.bounded ? DemoFeed.bounded(lines) : DemoFeed.unbounded(DEMO_INTERVAL_MILLIS);
                    feeds.add(feed);
                    endpoints.add(feed.endpoint());
                    // on stderr, so stdout stays the contract's lines; it also lets a reader check the counts
                    err.println("demo feed " + feed.endpoint()
                            + (options.bounded
                                    ? " sends " + lines + " lines, then closes"
                                    : " sends a line every " + DEMO_INTERVAL_MILLIS + " ms"));
                }
            }
            count(endpoints, options, out);
            return 0;
        } catch (Exception e) {
            err.println("error: job failed: " + diagnosis(e));
            return 1;
        } finally {
            feeds.forEach(DemoFeed::close);
        }
    }

    private static void count(List<String> endpoints, Options options, PrintStream out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(options.parallelism);
        TypeInformation<Tuple2<String, Long>> type = Types.TUPLE(Types.STRING, Types.LONG);
        // region source
        TetherSource.Builder<String, String> builder = TetherSource.builder().bounded(options.bounded);
        endpoints.forEach(builder::endpoint);
        TetherSource<Tuple2<String, Long>> source = builder.deserializerWithEndpoint(
                        (endpoint, line) -> Tuple2.of(endpoint.address(), 1L), type)
                .build();
        DataStream<Tuple2<String, Long>> counts = env.fromSource(source, WatermarkStrategy.noWatermarks(), "tether")
                .keyBy(t -> t.f0, Types.STRING)
                .reduce((a, b) -> Tuple2.of(a.f0, a.f1 + b.f1));
        // endregion

        Map<String, Long> latest = new TreeMap<>();
        endpoints.forEach(e -> latest.put(Endpoint.of(e).address(), 0L)); // the form the records carry
        try (CloseableIterator<Tuple2<String, Long>> it = counts.executeAndCollect("tether-flink-example")) {
            while (it.hasNext()) {
                Tuple2<String, Long> count = it.next();
                // a key's counts arrive in order from the one subtask that owns it, so the last one is the total
                latest.put(count.f0, count.f1);
                if (!options.bounded) {
                    out.println("endpoint=" + count.f0 + " messages=" + count.f1);
                }
            }
        }
        long total = 0;
        for (Map.Entry<String, Long> e : latest.entrySet()) {
            out.println("endpoint=" + e.getKey() + " messages=" + e.getValue());
            total += e.getValue();
        }
        out.println("total messages=" + total);
    }

    /** Prefers the first Tether exception in the chain, whose message names the endpoint, over Flink's wrappers. */
    private static String diagnosis(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("dev.tether.")) {
                return t.getMessage();
            }
            root = t;
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static final class Options {
        final List<String> endpoints = new ArrayList<>();
        int parallelism = 2;
        boolean bounded;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            Args options = new Args(args);
            while (options.next()) {
                switch (options.name()) {
                    case "--bounded" -> o.bounded = true;
                    case "--help", "-h" -> o.help = true;
                    case "--endpoints" -> {
                        for (String e : options.value().split(",", -1)) {
                            Endpoint.of(e.trim()); // validates host:port, throws IllegalArgumentException
                            if (o.endpoints.contains(e.trim())) {
                                throw new IllegalArgumentException("endpoint " + e.trim() + " is listed twice");
                            }
                            o.endpoints.add(e.trim());
                        }
                    }
                    case "--parallelism" -> o.parallelism = (int) options.number(1, 32_768); // Flink's most
                    default -> throw options.unknown();
                }
            }
            return o;
        }
    }
}
