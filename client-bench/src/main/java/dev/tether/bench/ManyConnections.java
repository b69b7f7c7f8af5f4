/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures one client holding many idle connections to a local server, Tether against the hand-written Netty client:
 * time to open them all, heap and direct memory per connection, threads, and time to close them all.
 *
 * <p>Each client runs in a fresh JVM of its own (this class, started again with {@code --child}) under a raised file
 * limit, so one client's memory does not count against the other's; the server runs in this JVM. Prints one line per
 * run, and with {@code --out} writes a Markdown page.
 *
 * <pre>
 * java -cp client-bench/target/tether-bench.jar dev.tether.bench.ManyConnections [--connections 10000]
 *     [--clients tether,netty] [--transport auto,epoll,io_uring] [--io-threads 1,2] [--reps 1] [--batch 500]
 *     [--histogram] [--out docs/connections.md]
 * </pre>
 */
public final class ManyConnections {
    /** Connections per server address: three quarters of the ephemeral ports, which one source-target pair shares. */
    private static final double PORTS_USED = 0.75;

    private ManyConnections() {}

    /** The options, with their defaults. */
    record Options(
            int connections,
            List<String> clients,
            List<Transport> transports,
            List<Integer> ioThreads,
            int reps,
            int batch,
            boolean histogram,
            Path out) {
        static Options parse(String... args) {
            int connections = 10_000;
            List<String> clients = IdleClient.NAMES;
            List<Transport> transports = List.of(Transport.AUTO);
            List<Integer> ioThreads = List.of(1);
            int reps = 1;
            int batch = 500;
            boolean histogram = false;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--histogram")) {
                    histogram = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(usage("missing value for " + option));
                }
                String value = args[++i];
                switch (option) {
                    case "--connections" -> connections = CommandLine.positive(option, value, Options::usage);
                    case "--clients" -> clients = CommandLine.clients(value, IdleClient.NAMES, Options::usage);
                    case "--transport" -> transports = transports(value);
                    case "--io-threads" ->
                        ioThreads = Arrays.stream(value.split(","))
                                .map(threads -> CommandLine.positive(option, threads.strip(), Options::usage))
                                .toList();
                    case "--reps" -> reps = CommandLine.positive(option, value, Options::usage);
                    case "--batch" -> batch = CommandLine.positive(option, value, Options::usage);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException(usage("unknown option " + option));
                }
            }
            return new Options(connections, clients, transports, ioThreads, reps, batch, histogram, out);
        }

        private static List<Transport> transports(String value) {
            List<Transport> chosen = new ArrayList<>();
            for (String name : value.split(",")) {
                try {
                    chosen.add(Transport.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            usage("unknown transport '" + name.strip() + "'; known: auto, nio, epoll, io_uring"), e);
                }
            }
            return chosen;
        }

        private static String usage(String problem) {
            return problem + "\nusage: ManyConnections [--connections N] [--clients tether,netty]"
                    + " [--transport auto,nio,epoll,io_uring] [--io-threads 1,2] [--reps N] [--batch N] [--histogram]"
                    + " [--out FILE]";
        }
    }

    /**
     * Runs the measurement with {@code args}, or, with {@code --child <client> --targets <host:port,...>} first, one
     * client's side of it; exits 2 on a bad option, 1 on a failed run.
     *
     * @param args the options
     */
    public static void main(String[] args) throws Exception {
        CommandLine.oneShotIoUringPolls();
        if (args.length > 0 && args[0].equals("--child")) {
            System.exit(child(args));
            return;
        }
        Options options = CommandLine.parseOrExit(() -> Options.parse(args));
        Map<String, String> histograms = new LinkedHashMap<>();
        List<ConnectionsResult> results = new ArrayList<>();
        for (int rep = 0; rep < options.reps(); rep++) {
            for (int ioThreads : options.ioThreads()) {
                for (Transport transport : options.transports()) {
                    for (String client : options.clients()) {
                        // one histogram per client is enough to see what a connection costs
                        boolean histogram = options.histogram()
                                && rep == 0
                                && ioThreads == options.ioThreads().get(0)
                                && transport == options.transports().get(0);
                        ConnectionsResult result =
                                ChildRun.run(options, client, transport, ioThreads, histogram, histograms::put);
                        System.out.println(result.line());
                        results.add(result);
                    }
                }
            }
        }
        List<ConnectionsResult> medians = ConnectionsReport.medians(results);
        medians.forEach(result -> System.out.println(ConnectionsReport.summary(result, medians)));
        if (options.out() != null) {
            String page = ConnectionsReport.markdown(
                    options, args, results, medians, histograms, Machine.describe(), ChildRun.portRange());
            Files.writeString(options.out(), page, StandardCharsets.UTF_8);
            System.out.println("wrote " + options.out());
        }
    }

    /** How many server addresses {@code connections} need, so that the ephemeral ports of one pair do not run out. */
    static int targetsFor(int connections, int ephemeralPorts) {
        return (int) Math.ceil(connections / (ephemeralPorts * PORTS_USED));
    }

    /** The child JVM's side: runs one client, prints {@code peak pid=...}, waits for a line, prints the result. */
    private static int child(String[] args) {
        try {
            if (args.length < 4 || !args[2].equals("--targets")) {
                throw new IllegalArgumentException("usage: --child <client> --targets <host:port,...> [options]");
            }
            String client = args[1];
            List<InetSocketAddress> targets = Arrays.stream(args[3].split(","))
                    .map(target -> new InetSocketAddress(
                            target.substring(0, target.lastIndexOf(':')),
                            Integer.parseInt(target.substring(target.lastIndexOf(':') + 1))))
                    .toList();
            Options options = Options.parse(Arrays.copyOfRange(args, 4, args.length));
            BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            ConnectionsResult result = ConnectionsChild.run(
                    client,
                    options.transports().get(0),
                    options.ioThreads().get(0),
                    options.connections(),
                    options.batch(),
                    targets,
                    () -> {
                        System.out.println("peak pid=" + ProcessHandle.current().pid());
                        System.out.flush();
                        try {
                            parent.readLine(); // the parent has checked the server's count, and maybe run jmap
                        } catch (IOException e) {
                            throw new IllegalStateException("lost the parent", e);
                        }
                    });
            System.out.println("result " + result.line());
            System.out.flush();
            return 0;
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace();
            return 1;
        }
    }
}
