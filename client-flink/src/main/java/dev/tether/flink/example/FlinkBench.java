/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import dev.tether.flink.example.BenchJob.Result;
import dev.tether.flink.example.BenchJob.Variant;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures messages per second through {@code TetherSource} into a discarding sink, beside Flink's own {@code
 * socketTextStream} on the same feed (issue 14).
 *
 * <pre>
 * java -cp tether-flink-example.jar dev.tether.flink.example.FlinkBench [--messages N] [--reps R] [--line-bytes B]
 * </pre>
 *
 * <p>This JVM starts two line feeds on {@code 127.0.0.1} (every connection gets {@code N} lines of {@code B} bytes,
 * then a clean close) and runs each measurement in a fresh JVM (same java, same class path, the JDK opens Flink
 * needs): a MiniCluster job that reads one or both feeds with one of the {@link Variant}s. The variants take turns
 * within each repetition, in an order that rotates from one repetition to the next. It prints one line per run, then a
 * table of the median messages/s of each variant and the ratios tether/socket at parallelism 1 and 2 (and against
 * the control without a union).
 *
 * <p>A run whose count differs from what the feeds sent, or whose JVM fails, is reported as invalid and left out of
 * the medians, and the benchmark then exits 1. Bad options: one line on stderr, exit 2.
 *
 * @since 0.1
 */
public final class FlinkBench {
    static final long DEFAULT_MESSAGES = 10_000_000;
    static final int DEFAULT_REPS = 5;
    static final int DEFAULT_LINE_BYTES = 64;
    private static final long RUN_TIMEOUT_MINUTES = 10;
    private static final int FEED_WARM_UPS = 5;
    private static final long FEED_WARM_UP_LINES = 1_000_000;
    private static final String USAGE =
            "usage: FlinkBench [--messages N (per endpoint, default 10000000)] [--reps R (default 5)]"
                    + " [--line-bytes B (default 64)]";
    // the same as flink.argLine in client-flink/pom.xml (and the example jar's manifest, which only java -jar reads)
    private static final List<String> FLINK_JVM_FLAGS = List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            "--add-opens=java.base/java.math=ALL-UNNAMED",
            "--add-opens=java.base/java.security=ALL-UNNAMED",
            "--add-opens=java.sql/java.sql=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

    private FlinkBench() {}

    /**
     * Runs the benchmark and exits with its status.
     *
     * @param args the options, see the class comment
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, FlinkBench::forked));
    }

    /**
     * Runs the benchmark without exiting; {@code runner} makes each measurement (forked in {@link #main}).
     *
     * @return 0 if every run was valid, 1 if one was not, 2 for bad options
     */
    static int run(String[] args, PrintStream out, PrintStream err, Runner runner) {
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
        try (BenchFeed a = BenchFeed.start(options.messages, options.lineBytes);
                BenchFeed b = BenchFeed.start(options.messages, options.lineBytes)) {
            out.printf(
                    Locale.ROOT,
                    "feeds %s and %s: %,d lines of %d bytes per connection; %d reps%n",
                    a.endpoint(),
                    b.endpoint(),
                    options.messages,
                    options.lineBytes,
                    options.reps);
            for (int i = 0; i < FEED_WARM_UPS; i++) {
                a.warmUp(FEED_WARM_UP_LINES);
            }
            Map<Variant, List<Double>> rates = new EnumMap<>(Variant.class);
            Variant[] variants = Variant.values();
            int invalid = 0;
            for (int rep = 0; rep < options.reps; rep++) {
                for (int i = 0; i < variants.length; i++) {
                    // rotate the order, so no variant always runs first (or right after the same neighbour)
                    Variant variant = variants[(i + rep) % variants.length];
                    List<String> endpoints =
                            variant.endpoints == 1 ? List.of(a.endpoint()) : List.of(a.endpoint(), b.endpoint());
                    long expected = options.messages * variant.endpoints;
                    String problem;
                    Result result = null;
                    try {
                        result = runner.run(variant, endpoints);
                        problem = result.records() == expected
                                ? null
                                : String.format(
                                        Locale.ROOT, "counted %,d records, expected %,d", result.records(), expected);
                    } catch (Exception e) {
                        problem = "failed: " + e.getMessage();
                    }
                    if (problem == null) {
                        double rate = result.messagesPerSecond();
                        rates.computeIfAbsent(variant, v -> new ArrayList<>()).add(rate);
                        out.printf(
                                Locale.ROOT,
                                "rep %d %-15s %,14.0f msgs/s  (%,d records, %.3f s)%n",
                                rep + 1,
                                variant.label,
                                rate,
                                result.records(),
                                result.nanos() / 1e9);
                    } else {
                        invalid++;
                        out.printf(Locale.ROOT, "rep %d %-15s INVALID: %s%n", rep + 1, variant.label, problem);
                        err.println("error: run " + (rep + 1) + " of " + variant.label + " is invalid: " + problem);
                    }
                }
            }
            printTable(out, rates, options.reps);
            if (invalid > 0) {
                err.println("error: " + invalid + " invalid run(s), left out of the medians");
                return 1;
            }
            return 0;
        } catch (IOException e) {
            err.println("error: cannot start the feed: " + e);
            return 1;
        }
    }

    /** Makes one measurement of a variant against the given endpoints. */
    @FunctionalInterface
    interface Runner {
        Result run(Variant variant, List<String> endpoints) throws Exception;
    }

    /** The in-process runner, for tests: the job runs on whatever environment this JVM has. */
    static Result inProcess(Variant variant, List<String> endpoints) throws Exception {
        return BenchJob.run(variant, endpoints);
    }

    /** Runs one measurement in a fresh JVM, which prints its result line on stdout. */
    static Result forked(Variant variant, List<String> endpoints) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // heap and GC flags given to this JVM apply to the runs too
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-X"))
                .forEach(command::add);
        command.addAll(FLINK_JVM_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchJob.class.getName());
        command.add(variant.name().toLowerCase(Locale.ROOT));
        command.add(String.join(",", endpoints));
        File log = Files.createTempFile("tether-flink-bench-", ".err").toFile();
        File results = Files.createTempFile("tether-flink-bench-", ".out").toFile();
        try {
            Process child = new ProcessBuilder(command)
                    .redirectOutput(results)
                    .redirectError(log)
                    .start();
            child.getOutputStream().close();
            if (!child.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly().waitFor();
                throw new IOException("the run's JVM did not exit within " + RUN_TIMEOUT_MINUTES + " minutes");
            }
            Result result = Files.readAllLines(results.toPath(), StandardCharsets.UTF_8).stream()
                    .map(Result::parse)
                    .filter(r -> r != null)
                    .findFirst()
                    .orElse(null);
            if (child.exitValue() != 0 || result == null) {
                throw new IOException(
                        "the run's JVM exited " + child.exitValue() + " without a result; its stderr ends: "
                                + lastLine(Files.readString(log.toPath(), StandardCharsets.UTF_8)));
            }
            return result;
        } finally {
            Files.deleteIfExists(log.toPath());
            Files.deleteIfExists(results.toPath());
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "(nothing)" : lines.get(lines.size() - 1);
    }

    private static void printTable(PrintStream out, Map<Variant, List<Double>> rates, int reps) {
        out.println();
        out.println("| variant | endpoints | parallelism | median msgs/s | min–max msgs/s | valid runs |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (Variant v : Variant.values()) {
            List<Double> r = rates.getOrDefault(v, List.of());
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %s | %s | %d of %d |%n",
                    v.label,
                    v.endpoints,
                    v.parallelism,
                    r.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", median(r)),
                    r.isEmpty()
                            ? "-"
                            : String.format(
                                    Locale.ROOT,
                                    "%,.0f–%,.0f",
                                    r.stream().mapToDouble(d -> d).min().orElseThrow(),
                                    r.stream().mapToDouble(d -> d).max().orElseThrow()),
                    r.size(),
                    reps);
        }
        out.println();
        out.println("tether/socket at p=1: " + ratio(rates, Variant.TETHER_P1, Variant.SOCKET_P1));
        out.println("tether/socket at p=2: " + ratio(rates, Variant.TETHER_P2, Variant.SOCKET_X2));
        out.println(
                "tether p=2 / socket x2 apart (no union): " + ratio(rates, Variant.TETHER_P2, Variant.SOCKET_X2_APART));
    }

    private static String ratio(Map<Variant, List<Double>> rates, Variant tether, Variant socket) {
        List<Double> t = rates.getOrDefault(tether, List.of());
        List<Double> s = rates.getOrDefault(socket, List.of());
        return t.isEmpty() || s.isEmpty()
                ? "- (no valid run)"
                : String.format(Locale.ROOT, "%.2f", median(t) / median(s));
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(d -> d).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static final class Options {
        long messages = DEFAULT_MESSAGES;
        int reps = DEFAULT_REPS;
        int lineBytes = DEFAULT_LINE_BYTES;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            Args options = new Args(args);
            while (options.next()) {
                switch (options.name()) {
                    case "--help", "-h" -> o.help = true;
                    case "--messages" -> o.messages = options.number(1, BenchFeed.MAX_MESSAGES);
                    case "--reps" -> o.reps = (int) options.number(1, 1_000);
                    case "--line-bytes" ->
                        o.lineBytes = (int) options.number(BenchFeed.MIN_LINE_BYTES, BenchFeed.MAX_LINE_BYTES);
                    default -> throw options.unknown();
                }
            }
            return o;
        }
    }
}
