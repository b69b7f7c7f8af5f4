/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Measures round-trip latency, which a chat or request-response client lives on: one connection to a line echo
 * server on loopback, one 64-byte line in flight at a time (63 bytes and an LF), each echo checked against its
 * ping, the time of each round trip taken with {@link System#nanoTime()} around it.
 *
 * <p>The clients: Tether used three ways ({@code tether-handler}, where the handler sends the next ping from the I/O
 * thread, as a request-response client built around a handler does; {@code tether-future}, where a user thread waits
 * on a future that the handler completes; {@code tether-receive}, where a user thread sends and then calls {@code
 * receive(Duration)}; see {@link TetherPingPeer}), the hand-written Netty client on the transport Tether's AUTO
 * picks, and a blocking socket. Every client first plays {@code --warmup} round trips untimed to warm the JIT up.
 * Then every run opens a fresh connection, plays {@code --warmup} untimed round trips, then {@code --round-trips}
 * timed ones; the clients take turns, in a rotating order, {@code --reps} times. Prints the
 * median of each percentile over the runs, one line per client, and writes them to a Markdown page with {@code
 * --out}.
 *
 * <pre>
 * java -cp client-bench/target/tether-bench.jar dev.tether.bench.PingPong [--round-trips 200000] [--warmup 20000]
 *     [--reps 3] [--out docs/latency.md]
 * </pre>
 */
public final class PingPong {
    /** The clients, in the order of the results. */
    static final List<String> CLIENTS =
            List.of("tether-handler", "tether-future", "tether-receive", "netty", "blocking-socket");

    /** The target, from issue 9: Tether's p99 at most this many times the hand-written Netty client's. */
    static final double TARGET_P99_RATIO = 1.2;

    private PingPong() {}

    /** The options, with their defaults. */
    record Options(int roundTrips, int warmup, int reps, Path out) {
        static Options parse(String... args) {
            int roundTrips = 200_000;
            int warmup = 20_000;
            int reps = 3;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(usage("missing value for " + option));
                }
                String value = args[++i];
                switch (option) {
                    case "--round-trips" -> roundTrips = number(option, value, 1);
                    case "--warmup" -> warmup = number(option, value, 0);
                    case "--reps" -> reps = number(option, value, 1);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException(usage("unknown option " + option));
                }
            }
            return new Options(roundTrips, warmup, reps, out);
        }

        private static int number(String option, String value, int least) {
            try {
                int n = Integer.parseInt(value);
                if (n >= least) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    usage(option + " takes a whole number of at least " + least + ", not '" + value + "'"));
        }

        private static String usage(String problem) {
            return problem + "\nusage: PingPong [--round-trips N] [--warmup N] [--reps N] [--out FILE]";
        }
    }

    /** One client's runs. */
    record Result(String client, String transport, List<Latency> runs) {
        Latency median() {
            return Latency.median(runs);
        }
    }

    /**
     * Runs the benchmark with {@code args}; exits 2 on a bad option.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        CommandLine.oneShotIoUringPolls();
        Options options = CommandLine.parseOrExit(() -> Options.parse(args));
        String loadBefore = Machine.loadAverage();
        List<Result> results = run(options);
        String loadAfter = Machine.loadAverage();
        results.forEach(result -> System.out.println(line(result, results)));
        System.out.println("load_average_1m_before=" + loadBefore + " load_average_1m_after=" + loadAfter);
        if (options.out() != null) {
            Files.writeString(
                    options.out(),
                    LatencyReport.markdown(
                            options, results, Machine.describe(), loadBefore + " before, " + loadAfter + " after"),
                    StandardCharsets.UTF_8);
            System.out.println("wrote " + options.out());
        }
    }

    /** Runs every client {@code --reps} times, interleaved; returns their figures in the order of {@link #CLIENTS}. */
    static List<Result> run(Options options) throws Exception {
        try (EchoServer server = new EchoServer()) {
            List<PingPeer> peers = peers(TetherPingPeer.autoTransport(server.port()));
            try {
                if (options.warmup() > 0) {
                    for (PingPeer peer : peers) {
                        // once through every client first, so that no client's first run pays for the JIT alone
                        peer.pingPong(server.port(), 0, options.warmup());
                    }
                }
                Map<PingPeer, List<Latency>> runs = new LinkedHashMap<>();
                peers.forEach(peer -> runs.put(peer, new ArrayList<>()));
                for (int rep = 0; rep < options.reps(); rep++) {
                    List<PingPeer> order = new ArrayList<>(peers);
                    Collections.rotate(order, rep); // each client in a different slot each round
                    for (PingPeer peer : order) {
                        long[] nanos = peer.pingPong(server.port(), options.warmup(), options.roundTrips());
                        runs.get(peer).add(Latency.of(nanos));
                    }
                }
                List<Result> results = new ArrayList<>();
                runs.forEach((peer, r) -> results.add(new Result(peer.name(), peer.transport(), r)));
                return results;
            } finally {
                for (PingPeer peer : peers) {
                    peer.close();
                }
            }
        }
    }

    /** Returns one peer per name of {@link #CLIENTS}, the Netty-based ones on {@code transport}. */
    static List<PingPeer> peers(Transport transport) {
        return new ArrayList<>(List.of(
                TetherPingPeer.handler(transport),
                TetherPingPeer.future(transport),
                TetherPingPeer.receive(transport),
                new NettyPingPeer(transport),
                new BlockingPingPeer()));
    }

    /** The hand-written Netty client's figures among {@code results}, if it ran. */
    static Optional<Result> netty(List<Result> results) {
        return results.stream().filter(r -> r.client().equals("netty")).findFirst();
    }

    /** Returns {@code result}'s median p99 over the Netty client's, or empty if that did not run. */
    static Optional<Double> p99Ratio(Result result, List<Result> results) {
        return netty(results)
                .map(n -> (double) result.median().p99() / n.median().p99());
    }

    /** {@code client=tether-handler transport=io_uring p50_us=... p99_us=... p999_us=... p99_x_netty=...}. */
    static String line(Result result, List<Result> results) {
        Latency median = result.median();
        return String.format(
                Locale.ROOT,
                "client=%s transport=%s p50_us=%.1f p99_us=%.1f p999_us=%.1f p99_x_netty=%s",
                result.client(),
                result.transport(),
                median.p50() / 1e3,
                median.p99() / 1e3,
                median.p999() / 1e3,
                p99Ratio(result, results)
                        .map(r -> String.format(Locale.ROOT, "%.2f", r))
                        .orElse("-"));
    }
}
