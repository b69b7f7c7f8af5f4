/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import dev.tether.tls.TlsProvider;
import io.netty.channel.uring.IoUring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures Tether against the clients its users would otherwise write, in one run, interleaved: a Netty feed server
 * on loopback sends each workload, and every client receives it once to warm up, then five times in rotating order.
 * Prints one line per client and workload, and writes the table to a Markdown file.
 *
 * <pre>
 * java -jar client-bench/target/tether-bench.jar [--reps 5] [--megabytes 512] [--workloads lines-64,...]
 *     [--clients tether-strings,netty,...] [--run-timeout 120s] [--fork] [--cold] [--tls] [--metrics]
 *     [--baseline other/tether-bench.jar] [--out docs/benchmarks.md]
 * </pre>
 *
 * <p>Tether is measured in each of the ways users take messages: a handler ({@code tether-strings},
 * {@code tether-bytes}), a batch handler ({@code tether-batch}), {@code receive(timeout)} on a user thread
 * ({@code tether-receive}) and the {@code messages()} publisher ({@code tether-publisher}).
 *
 * <p>With {@code --metrics}, what reading Tether's statistics costs (what {@code docs/benchmarks-metrics.md} shows):
 * the strings handler plain ({@code tether-strings}), while another thread reads {@code stats()} every 100 ms
 * ({@code tether-stats}), and bound to a Prometheus registry scraped every second ({@code tether-metrics}), beside
 * the hand-written Netty client. These two rows are not in the default set; {@code --clients} names them too.
 *
 * <p>With {@code --baseline JAR} (forked only), an A/B of two builds: each Tether row but the statistics ones gets a
 * twin, {@code tether-strings@<jar's name>}, whose fresh JVMs run that other build's benchmark jar, interleaved with
 * this build's in the same run, against the same feed server.
 *
 * <p>Every run has a deadline ({@code --run-timeout}, 120 s by default). A run that has not ended by then is
 * <em>stalled</em>: its client is closed, the row counts it ("stalled 1 of 6", the warm-up included) and its median
 * is over the runs that ended, and the benchmark goes on.
 *
 * <p>Two modes. In-process (the default, and what {@code docs/benchmarks.md} shows): every client runs in this JVM,
 * warmed up, and the Netty-based ones each keep one I/O thread per transport for all their runs, as a long-lived
 * consumer does. With {@code --fork}, the newcomer's view: each run is a fresh JVM (this one's classpath and flags)
 * that receives the feed once to warm up and once timed ({@code --cold}: timed only, so the JIT compiles during
 * the run, as at a program's start), and each client set up as its documentation's first example would be: Tether on the README's
 * defaults (its own I/O thread, {@code Transport.AUTO}, one row per client labelled with what AUTO picked), the
 * hand-written Netty client with a group of its own. The feed server stays in this JVM.
 *
 * <p>With {@code --tls}, the rows over TLS instead (what {@code docs/benchmarks-tls.md} shows), for each provider this
 * machine has ({@code jdk}, and {@code openssl} where netty-tcnative loads): the feed server speaks TLS on that
 * provider, with a certificate from a certificate authority made at start; Tether's handler
 * ({@code tether-strings}) and the hand-written Netty client trust that authority, on that provider, and check the
 * server's name; {@code tls-sink}, the Netty client's connection with a handler that counts decrypted bytes, is the
 * limit. On epoll (NIO where epoll is not available), and io_uring too with {@code --io-uring}; {@code --fork} and
 * {@code --cold} apply as over TCP.
 */
public final class SideBySide {
    /** The fewest messages of a run: 4 KiB messages at 512 MiB a run are over too soon to measure well. */
    static final long MIN_MESSAGES = 250_000;

    /** The names {@code --clients} takes, one per peer (a peer runs on each of its transports). */
    static final List<String> CLIENTS = List.of(
            "tether-strings",
            "tether-stats",
            "tether-metrics",
            "tether-bytes",
            "tether-batch",
            "tether-receive",
            "tether-publisher",
            "netty",
            "reactor-netty",
            "vertx",
            "blocking-socket",
            "raw-sink");

    /**
     * The clients that only read statistics beside the strings handler: left out of the default set, which is long
     * enough, and run by {@code --metrics} or by name.
     */
    static final List<String> STATS_CLIENTS = List.of("tether-stats", "tether-metrics");

    /** The clients a run without {@code --clients} takes over plain TCP. */
    static final List<String> DEFAULT_CLIENTS =
            CLIENTS.stream().filter(name -> !STATS_CLIENTS.contains(name)).toList();

    /** The clients of {@code --metrics}: the strings handler with and without statistics read, and Netty's. */
    static final List<String> METRICS_CLIENTS = List.of("tether-strings", "tether-stats", "tether-metrics", "netty");

    /** The names {@code --clients} takes with {@code --tls}. */
    static final List<String> TLS_CLIENTS = List.of("tether-strings", "netty", "tls-sink");

    /** How long a run may take before it is recorded as stalled, unless {@code --run-timeout} says otherwise. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    private SideBySide() {}

    /** The options, with their defaults. */
    record Options(
            int reps,
            long megabytes,
            List<Workload> workloads,
            List<String> clients,
            Path out,
            boolean slowConsumer,
            boolean ioUring,
            Duration runTimeout,
            boolean fork,
            boolean cold,
            boolean tls,
            boolean metrics,
            Path baseline,
            List<String> args) {
        static Options parse(String... args) {
            int reps = 5;
            long megabytes = 512;
            List<Workload> workloads = List.of(Workload.values());
            String clients = null;
            Path out = null;
            boolean slow = true;
            boolean ioUring = false;
            Duration runTimeout = RUN_TIMEOUT;
            boolean fork = false;
            boolean cold = false;
            boolean tls = false;
            boolean metrics = false;
            Path baseline = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--no-slow-consumer")) {
                    slow = false;
                    continue;
                }
                if (option.equals("--fork")) {
                    fork = true;
                    continue;
                }
                if (option.equals("--cold")) {
                    fork = true;
                    cold = true;
                    continue;
                }
                if (option.equals("--tls")) {
                    tls = true;
                    continue;
                }
                if (option.equals("--metrics")) {
                    metrics = true;
                    continue;
                }
                if (option.equals("--io-uring")) {
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
                    case "--reps" -> reps = CommandLine.positive(option, value, Options::usage);
                    case "--megabytes" -> megabytes = CommandLine.positive(option, value, Options::usage);
                    case "--workloads" -> workloads = workloads(value);
                    case "--out" -> out = Path.of(value);
                    case "--clients" -> clients = value; // checked below, against the rows --tls asks for
                    case "--run-timeout" -> runTimeout = duration(option, value);
                    case "--baseline" -> baseline = Path.of(value);
                    default -> throw new IllegalArgumentException(usage("unknown option " + option));
                }
            }
            if (baseline != null && !fork) {
                throw new IllegalArgumentException(usage("--baseline runs forked: add --fork or --cold"));
            }
            if (baseline != null && !Files.isRegularFile(baseline)) {
                throw new IllegalArgumentException(usage("--baseline: no file " + baseline));
            }
            if (metrics && (tls || clients != null)) {
                throw new IllegalArgumentException(
                        usage("--metrics picks its clients over plain TCP: drop " + (tls ? "--tls" : "--clients")));
            }
            List<String> chosen = clients == null
                    ? (metrics ? METRICS_CLIENTS : List.of())
                    : CommandLine.clients(clients, tls ? TLS_CLIENTS : CLIENTS, Options::usage);
            return new Options(
                    reps,
                    megabytes,
                    workloads,
                    chosen,
                    out,
                    slow && !tls, // the slow consumer's memory is a TCP figure, in docs/benchmarks.md
                    ioUring,
                    runTimeout,
                    fork,
                    cold,
                    tls,
                    metrics,
                    baseline,
                    List.of(args));
        }

        /** Parses {@code 500ms}, {@code 90s}, {@code 2m}, or a bare number of seconds; above zero. */
        private static Duration duration(String option, String value) {
            Matcher m = Pattern.compile("(\\d{1,9})(ms|s|m)?").matcher(value.strip());
            if (m.matches() && Long.parseLong(m.group(1)) > 0) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            throw new IllegalArgumentException(
                    usage(option + " takes a duration above 0 such as 500ms, 90s or 2m, not '" + value + "'"));
        }

        static List<Workload> workloads(String value) {
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
                    + "lenpref-64,lenpref-4096] [--clients tether-strings,netty,...] [--out FILE] [--no-slow-consumer] [--io-uring]"
                    + " [--run-timeout 120s] [--fork] [--cold] [--tls] [--metrics] [--baseline JAR]";
        }
    }

    /**
     * One client's figures on one workload: its TLS provider ({@code ""} over TCP), the rates of the measured runs
     * that ended, and how many of all its runs (the warm-up included) stalled.
     */
    record Result(
            Workload workload, String client, String transport, String tls, List<Double> rates, int stalled, int runs) {
        Result(Workload workload, String client, String transport, List<Double> rates, int stalled, int runs) {
            this(workload, client, transport, "", rates, stalled, runs);
        }

        Result(Workload workload, String client, String transport, List<Double> rates) {
            this(workload, client, transport, rates, 0, rates.size());
        }

        /** Returns the median over the runs that ended, or NaN if none did. */
        double median() {
            if (rates.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(rates);
            Collections.sort(sorted);
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        double min() {
            return rates.isEmpty() ? Double.NaN : Collections.min(rates);
        }

        double max() {
            return rates.isEmpty() ? Double.NaN : Collections.max(rates);
        }
    }

    /**
     * Runs the benchmark with {@code args}; exits 2 on a bad option.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        CommandLine.oneShotIoUringPolls();
        if (args.length > 0 && args[0].equals("--child")) {
            child(Arrays.asList(args).subList(1, args.length));
            return;
        }
        Options options = CommandLine.parseOrExit(() -> Options.parse(args));
        Map<String, Set<String>> sessions = new TreeMap<>();
        List<Result> results = run(options, sessions);
        String slow = options.slowConsumer() ? SlowConsumer.run() : "";
        if (options.out() != null) {
            String page = options.tls()
                    ? Report.tlsMarkdown(options, results, sessions, Machine.describe())
                    : Report.markdown(options, results, slow, Machine.describe());
            Files.writeString(options.out(), page, StandardCharsets.UTF_8);
            System.out.println("wrote " + options.out());
        }
    }

    /** Runs every client on every workload of {@code options} and returns the figures. */
    static List<Result> run(Options options) throws Exception {
        return run(options, new TreeMap<>());
    }

    /**
     * Runs every client on every workload of {@code options} and returns the figures; with {@code --tls}, puts the
     * protocol and cipher suite of the feed server's handshakes in {@code sessions}, by provider.
     */
    static List<Result> run(Options options, Map<String, Set<String>> sessions) throws Exception {
        BenchTls tls = options.tls() ? BenchTls.create() : null;
        List<Peer> peers = tls != null
                ? tlsPeers(tls, options.ioUring(), options.fork(), options.cold(), options.runTimeout())
                : peers(options.ioUring(), options.fork(), options.cold(), options.runTimeout());
        List<String> wanted =
                !options.clients().isEmpty() ? options.clients() : options.tls() ? TLS_CLIENTS : DEFAULT_CLIENTS;
        List<Peer> chosen = new ArrayList<>();
        for (Peer peer : peers) {
            if (wanted.contains(peer.name())) {
                chosen.add(peer);
                // the statistics rows are measured against tether-strings of the same build; an older one has none
                if (options.baseline() != null
                        && peer instanceof ForkedPeer forked
                        && peer.name().startsWith("tether-")
                        && !STATS_CLIENTS.contains(peer.name())) {
                    chosen.add(forked.baseline(options.baseline()));
                }
            } else {
                peer.close();
            }
        }
        return run(options, chosen, tls, sessions);
    }

    /** Runs {@code peers} over plain TCP on every workload of {@code options}, closes them, and returns the figures. */
    static List<Result> run(Options options, List<Peer> peers) throws Exception {
        return run(options, peers, null, new TreeMap<>());
    }

    /**
     * Runs {@code peers} on every workload of {@code options}, closes them, and returns the figures: each peer
     * against a feed server of its own kind, plain TCP or TLS on its provider with {@code tls}'s certificate, whose
     * handshakes go in {@code sessions}.
     */
    static List<Result> run(Options options, List<Peer> peers, BenchTls tls, Map<String, Set<String>> sessions)
            throws Exception {
        List<Result> results = new ArrayList<>();
        // a forked peer keeps the deadline in its child; one in this JVM gets it here
        List<Peer> bounded = peers.stream()
                .map(peer -> peer instanceof ForkedPeer ? peer : new BoundedPeer(peer, options.runTimeout()))
                .toList();
        Map<String, FeedServer> servers = new TreeMap<>(); // by the peers' TLS provider, "" for plain TCP
        try {
            for (Peer peer : bounded) {
                if (!servers.containsKey(peer.tls())) {
                    servers.put(peer.tls(), feedServer(peer.tls(), tls));
                }
            }
            for (Workload workload : options.workloads()) {
                long messages = messages(workload, options);
                servers.values().forEach(server -> server.prepare(workload, messages));
                Map<Peer, List<Double>> rates = new LinkedHashMap<>();
                Map<Peer, int[]> stalls = new LinkedHashMap<>(); // stalled, runs
                bounded.forEach(peer -> {
                    rates.put(peer, new ArrayList<>());
                    stalls.put(peer, new int[2]);
                });
                if (!options.fork()) { // a fresh JVM per run has nothing to warm up
                    for (Peer peer : bounded) {
                        timed(peer, workload, messages, servers.get(peer.tls()).port(), stalls.get(peer));
                    }
                }
                for (int rep = 0; rep < options.reps(); rep++) {
                    List<Peer> order = new ArrayList<>(bounded);
                    Collections.rotate(order, rep); // interleaved: each client in a different slot each round
                    for (Peer peer : order) {
                        long nanos = timed(
                                peer,
                                workload,
                                messages,
                                servers.get(peer.tls()).port(),
                                stalls.get(peer));
                        if (nanos > 0) {
                            rates.get(peer).add(messages * 1e9 / nanos);
                        }
                    }
                }
                List<Result> ofWorkload = new ArrayList<>();
                rates.forEach((peer, r) -> ofWorkload.add(new Result(
                        workload,
                        peer.name(),
                        peer.transport(),
                        peer.tls(),
                        r,
                        stalls.get(peer)[0],
                        stalls.get(peer)[1])));
                ofWorkload.forEach(result -> System.out.println(Report.line(result, ofWorkload)));
                results.addAll(ofWorkload);
            }
        } finally {
            for (Peer peer : bounded) {
                peer.close();
            }
            servers.forEach((provider, server) -> {
                if (!provider.isEmpty()) {
                    sessions.put(provider, server.sessions());
                }
                server.close();
            });
        }
        return results;
    }

    /** A feed server over plain TCP for {@code provider} {@code ""}, else over TLS on it with {@code tls}. */
    private static FeedServer feedServer(String provider, BenchTls tls) throws InterruptedException {
        if (provider.isEmpty()) {
            return new FeedServer();
        }
        if (tls == null) {
            throw new IllegalArgumentException("a peer over TLS (" + provider + ") needs the benchmark's certificates");
        }
        return new FeedServer(tls.serverContext(BenchTls.provider(provider)));
    }

    /** Runs {@code peer} once; returns its nanoseconds, or -1 if it stalled, counted in {@code stalls}. */
    private static long timed(Peer peer, Workload workload, long messages, int port, int[] stalls) throws Exception {
        stalls[1]++;
        try {
            return peer.receive(workload, messages, port);
        } catch (RunStalledException e) {
            stalls[0]++;
            System.out.println("STALLED: " + e.getMessage());
            return -1;
        }
    }

    /** Runs one child of {@code --fork}: prints its result line and exits, whatever threads a stall left behind. */
    private static void child(List<String> args) {
        int status = 0;
        try {
            System.out.println(
                    ForkedPeer.child(ForkedPeer.ChildArgs.parse(args)).line());
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
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

    /**
     * Returns every peer, in the order of the results: in-process, each Netty-based client on NIO and on epoll (and
     * io_uring for Tether's strings and Netty with {@code ioUring}); forked, Tether once on {@code AUTO}.
     */
    static List<Peer> peers(boolean ioUring, boolean fork, Duration runTimeout) {
        return peers(ioUring, fork, false, runTimeout);
    }

    /** The same, with each forked JVM's warm-up run left out when {@code cold}. */
    static List<Peer> peers(boolean ioUring, boolean fork, boolean cold, Duration runTimeout) {
        List<Peer> peers = new ArrayList<>();
        BiConsumer<String, Transport> add = (name, transport) ->
                peers.add(fork ? new ForkedPeer(name, transport, runTimeout, !cold) : create(name, transport, false));
        List<String> tether =
                CLIENTS.stream().filter(name -> name.startsWith("tether-")).toList();
        if (fork) {
            tether.forEach(name -> add.accept(name, Transport.AUTO));
        }
        for (Transport transport : List.of(Transport.NIO, Transport.EPOLL)) {
            if (!fork) {
                tether.forEach(name -> add.accept(name, transport));
            }
            add.accept("netty", transport);
            add.accept("reactor-netty", transport);
        }
        if (ioUring) { // Reactor Netty and Vert.x do not offer it: Tether and Netty only
            if (!fork) {
                add.accept("tether-strings", Transport.IO_URING);
            }
            add.accept("netty", Transport.IO_URING);
        }
        add.accept("vertx", Transport.AUTO);
        add.accept("blocking-socket", Transport.AUTO);
        add.accept("raw-sink", Transport.AUTO);
        return peers;
    }

    /**
     * Returns the peers of {@code --tls}, in the order of the results: for each provider this machine has, Tether's
     * handler and the hand-written Netty client on epoll (NIO where epoll is not available; and on io_uring with
     * {@code ioUring}), then the TLS sink; forked, Tether once on {@code AUTO}.
     */
    static List<Peer> tlsPeers(BenchTls tls, boolean ioUring, boolean fork, boolean cold, Duration runTimeout) {
        List<Peer> peers = new ArrayList<>();
        Transport first = Transport.EPOLL.isAvailable() ? Transport.EPOLL : Transport.NIO;
        List<Transport> transports = ioUring ? List.of(first, Transport.IO_URING) : List.of(first);
        for (TlsProvider provider : BenchTls.providers()) {
            BiConsumer<String, Transport> add = (name, transport) -> peers.add(
                    fork
                            ? new ForkedPeer(
                                    name, transport, runTimeout, !cold, BenchTls.label(provider), tls.authorityFile())
                            : create(name, transport, false, tls.client(provider)));
            if (fork) {
                add.accept("tether-strings", Transport.AUTO);
            }
            for (Transport transport : transports) {
                if (!fork) {
                    add.accept("tether-strings", transport);
                }
                add.accept("netty", transport);
            }
            add.accept("tls-sink", first);
        }
        return peers;
    }

    /**
     * Builds the peer named {@code name} on {@code transport} (ignored by the clients that pick their own); a
     * {@code newcomer} Tether or Netty client creates its I/O thread per run, Tether on {@code AUTO}.
     */
    static Peer create(String name, Transport transport, boolean newcomer) {
        return create(name, transport, newcomer, null);
    }

    /** The same, over TLS with {@code tls} ({@code tether-strings}, {@code netty} and {@code tls-sink}), or TCP if null. */
    static Peer create(String name, Transport transport, boolean newcomer, BenchTls.Client tls) {
        if (tls != null) {
            return switch (name) {
                case "tether-strings" -> TetherPeer.strings(transport, newcomer, tls);
                case "netty" -> new NettyPeer(transport, newcomer, tls);
                case "tls-sink" -> new TlsSinkPeer(transport, newcomer, tls);
                default ->
                    throw new IllegalArgumentException("unknown client over TLS '" + name + "'; known: " + TLS_CLIENTS);
            };
        }
        return switch (name) {
            case "tether-strings" -> TetherPeer.strings(transport, newcomer);
            case "tether-stats" -> TetherPeer.watched(transport, newcomer, StatsWatcher.Kind.STATS);
            case "tether-metrics" -> TetherPeer.watched(transport, newcomer, StatsWatcher.Kind.METRICS);
            case "tether-bytes" -> TetherPeer.bytes(transport, newcomer);
            case "tether-batch" -> TetherPeer.batches(transport, newcomer);
            case "tether-receive" -> TetherPullPeer.receiving(transport, newcomer);
            case "tether-publisher" -> TetherPullPeer.publishing(transport, newcomer);
            case "netty" -> new NettyPeer(transport, newcomer);
            case "reactor-netty" -> new ReactorPeer(transport == Transport.EPOLL);
            case "vertx" -> new VertxPeer();
            case "blocking-socket" -> new BlockingPeer();
            case "raw-sink" -> new RawSinkPeer();
            default -> throw new IllegalArgumentException("unknown client '" + name + "'; known: " + CLIENTS);
        };
    }
}
