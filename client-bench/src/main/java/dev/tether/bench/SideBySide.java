/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import io.netty.channel.uring.IoUring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures Tether against the clients its users would otherwise write, in one run, interleaved: a Netty feed server
 * on loopback sends each workload, and every client receives it once to warm up, then five times in rotating order.
 * Prints one line per client and workload, and writes the table to a Markdown file.
 *
 * <pre>
 * java -jar client-bench/target/tether-bench.jar [--reps 5] [--megabytes 512] [--workloads lines-64,...]
 *     [--out docs/benchmarks.md]
 * </pre>
 */
public final class SideBySide {
    /** The fewest messages of a run: 4 KiB messages at 512 MiB a run are over too soon to measure well. */
    static final long MIN_MESSAGES = 250_000;

    /** The names {@code --clients} takes, one per peer (a peer runs on each of its transports). */
    static final List<String> CLIENTS =
            List.of("tether-strings", "tether-bytes", "netty", "reactor-netty", "vertx", "blocking-socket", "raw-sink");

    private SideBySide() {}

    /** The options, with their defaults. */
    record Options(
            int reps,
            long megabytes,
            List<Workload> workloads,
            List<String> clients,
            Path out,
            boolean slowConsumer,
            boolean ioUring) {
        static Options parse(String... args) {
            int reps = 5;
            long megabytes = 512;
            List<Workload> workloads = List.of(Workload.values());
            List<String> clients = List.of();
            Path out = null;
            boolean slow = true;
            boolean ioUring = false;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--no-slow-consumer")) {
                    slow = false;
                    continue;
                }
                if (option.equals("--io-uring")) {
                    // asked through Tether first, so Netty's io_uring loads with Tether's setting (see Transport.AUTO)
                    if (!Transport.IO_URING.isAvailable()) {
                        throw new IllegalArgumentException(
                                usage("--io-uring: io_uring is not available here: " + IoUring.unavailabilityCause()));
                    }
                    ioUring = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(usage("missing value for " + option));
                }
                String value = args[++i];
                switch (option) {
                    case "--reps" -> reps = positive(option, value);
                    case "--megabytes" -> megabytes = positive(option, value);
                    case "--workloads" -> workloads = workloads(value);
                    case "--out" -> out = Path.of(value);
                    case "--clients" -> clients = clients(value);
                    default -> throw new IllegalArgumentException(usage("unknown option " + option));
                }
            }
            return new Options(reps, megabytes, workloads, clients, out, slow, ioUring);
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(usage(option + " takes a whole number above 0, not '" + value + "'"));
        }

        private static List<String> clients(String value) {
            List<String> chosen =
                    Arrays.stream(value.split(",")).map(String::strip).toList();
            for (String name : chosen) {
                if (!CLIENTS.contains(name)) {
                    throw new IllegalArgumentException(usage("unknown client '" + name + "'; known: " + CLIENTS));
                }
            }
            return chosen;
        }

        private static List<Workload> workloads(String value) {
            List<Workload> chosen = new ArrayList<>();
            for (String label : value.split(",")) {
                chosen.add(Arrays.stream(Workload.values())
                        .filter(w -> w.label().equals(label.strip()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(usage("unknown workload '" + label
                                + "'; known: "
                                + Arrays.stream(Workload.values())
                                        .map(Workload::label)
                                        .toList()))));
            }
            return chosen;
        }

        private static String usage(String problem) {
            return problem + "\nusage: tether-bench [--reps N] [--megabytes M] [--workloads lines-64,lines-512,"
                    + "lenpref-64,lenpref-4096] [--clients tether-strings,netty,...] [--out FILE] [--no-slow-consumer] [--io-uring]";
        }
    }

    /** One client's figures on one workload. */
    record Result(Workload workload, String client, String transport, List<Double> rates) {
        double median() {
            List<Double> sorted = new ArrayList<>(rates);
            Collections.sort(sorted);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        double min() {
            return Collections.min(rates);
        }

        double max() {
            return Collections.max(rates);
        }
    }

    /**
     * Runs the benchmark with {@code args}; exits 2 on a bad option.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Result> results = run(options);
        String slow = options.slowConsumer() ? SlowConsumer.run() : "";
        if (options.out() != null) {
            Files.writeString(
                    options.out(), Report.markdown(options, results, slow, Machine.describe()), StandardCharsets.UTF_8);
            System.out.println("wrote " + options.out());
        }
    }

    /** Runs every client on every workload of {@code options} and returns the figures. */
    static List<Result> run(Options options) throws Exception {
        List<Result> results = new ArrayList<>();
        List<Peer> peers = peers(options.ioUring());
        if (!options.clients().isEmpty()) {
            peers.removeIf(peer -> !options.clients().contains(peer.name()));
        }
        try (FeedServer server = new FeedServer()) {
            for (Workload workload : options.workloads()) {
                long messages = messages(workload, options);
                server.prepare(workload, messages);
                for (Peer peer : peers) {
                    peer.receive(workload, messages, server.port()); // warm-up
                }
                Map<Peer, List<Double>> rates = new LinkedHashMap<>();
                peers.forEach(peer -> rates.put(peer, new ArrayList<>()));
                for (int rep = 0; rep < options.reps(); rep++) {
                    List<Peer> order = new ArrayList<>(peers);
                    Collections.rotate(order, rep); // interleaved: each client in a different slot each round
                    for (Peer peer : order) {
                        long nanos = peer.receive(workload, messages, server.port());
                        rates.get(peer).add(messages * 1e9 / nanos);
                    }
                }
                List<Result> ofWorkload = new ArrayList<>();
                rates.forEach((peer, r) -> ofWorkload.add(new Result(workload, peer.name(), peer.transport(), r)));
                ofWorkload.forEach(result -> System.out.println(Report.line(result, ofWorkload)));
                results.addAll(ofWorkload);
            }
        } finally {
            for (Peer peer : peers) {
                peer.close();
            }
        }
        return results;
    }

    /**
     * Returns how many messages a run of {@code workload} takes: about {@code --megabytes} on the wire, and at least
     * {@link #MIN_MESSAGES}, so that a run of large messages lasts long enough for its median to mean something.
     */
    static long messages(Workload workload, Options options) {
        return Math.max(
                workload.messagesFor(options.megabytes() * 1024 * 1024),
                Math.min(MIN_MESSAGES, workload.messagesFor(options.megabytes() * 1024 * 1024 * 4)));
    }

    static List<Peer> peers(boolean ioUring) {
        List<Peer> peers = new ArrayList<>();
        for (Transport transport : List.of(Transport.NIO, Transport.EPOLL)) {
            peers.add(TetherPeer.strings(transport));
            peers.add(TetherPeer.bytes(transport));
            peers.add(new NettyPeer(transport));
            peers.add(new ReactorPeer(transport == Transport.EPOLL));
        }
        if (ioUring) { // Reactor Netty and Vert.x do not offer it: Tether and Netty only
            peers.add(TetherPeer.strings(Transport.IO_URING));
            peers.add(new NettyPeer(Transport.IO_URING));
        }
        peers.add(new VertxPeer());
        peers.add(new BlockingPeer());
        peers.add(new RawSinkPeer());
        return peers;
    }
}
