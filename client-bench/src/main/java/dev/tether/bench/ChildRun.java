/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The parent's side of one {@link ManyConnections} run: starts an idle server, forks the child JVM under a raised file
 * limit, checks at the peak that the server sees every connection (and takes a heap histogram if asked), lets the
 * child close, and reads its result. Counts the io_uring completion-queue overflow warnings on the child's stderr.
 */
final class ChildRun {
    /** What Netty's io_uring transport logs when its completion queue overflowed. */
    static final String OVERFLOW_LOG = "CompletionQueue overflow";

    /** The child's file limit: asked for, or else the hard limit. */
    private static final int FILE_LIMIT = 65_536;

    private static final Duration SERVER_WAIT = Duration.ofSeconds(60);
    private static final int HISTOGRAM_TOP_ROWS = 10;

    private ChildRun() {}

    /**
     * Runs {@code client} on {@code transport} in a child JVM.
     *
     * @param histogram whether to take a heap histogram of the child at the peak and hand it to {@code histograms}
     * @throws IllegalStateException if the child fails, or the server does not see what the child reports
     */
    static ConnectionsResult run(
            ManyConnections.Options options,
            String client,
            Transport transport,
            int ioThreads,
            boolean histogram,
            BiConsumer<String, String> histograms)
            throws Exception {
        long ownLimit = ConnectionsChild.fdLimit();
        if (ownLimit >= 0 && ownLimit < options.connections() + 200L) {
            throw new IllegalStateException("the file limit of this JVM, which runs the server, is " + ownLimit
                    + ", too low for " + options.connections() + " connections; raise it (ulimit -n) or ask for fewer");
        }
        int[] range = portRange();
        int addresses = ManyConnections.targetsFor(options.connections(), range[1] - range[0] + 1);
        try (IdleServer server = new IdleServer(addresses)) {
            List<String> command = command(options, client, transport, ioThreads, server);
            Process process = new ProcessBuilder(command).start();
            int[] overflows = new int[2]; // until all open, after; written by the pump thread, read after join
            Thread pump = new Thread(() -> pump(process, client, overflows), "bench-child-stderr");
            pump.setDaemon(true);
            pump.start();
            ConnectionsResult result = null;
            try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("peak ")) {
                        if (!server.awaitOpen(options.connections(), SERVER_WAIT)) {
                            process.destroyForcibly();
                            throw new IllegalStateException(client + ": the child opened " + options.connections()
                                    + " connections, the server sees " + server.open());
                        }
                        if (histogram) {
                            histograms.accept(
                                    client + " on " + transport.name().toLowerCase(Locale.ROOT) + ", " + ioThreads
                                            + " I/O thread(s)",
                                    histogram(process.pid(), options.connections()));
                        }
                        in.write("close\n");
                        in.flush();
                    } else if (line.startsWith("result ")) {
                        result = ConnectionsResult.parse(line.substring("result ".length()));
                    } else {
                        System.out.println(line);
                    }
                }
            }
            int exit = process.waitFor();
            pump.join(TimeUnit.SECONDS.toMillis(10));
            if (exit != 0 || result == null) {
                throw new IllegalStateException(client + " on " + transport + ": the child exited with " + exit
                        + (result == null ? " and no result" : "") + "; its stderr is above");
            }
            if (!server.awaitOpen(0, SERVER_WAIT)) {
                throw new IllegalStateException(
                        client + ": closed all, yet the server still sees " + server.open() + " open");
            }
            synchronized (overflows) {
                return result.withOverflows(overflows[0], overflows[1]);
            }
        }
    }

    /** {@code sh -c 'ulimit -n ...; exec java ... ManyConnections --child ...'}: the same Java, the same classpath. */
    private static List<String> command(
            ManyConnections.Options options, String client, Transport transport, int ioThreads, IdleServer server) {
        List<String> command = new ArrayList<>(List.of(
                "sh",
                "-c",
                "ulimit -n " + FILE_LIMIT + " 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec \"$@\"",
                "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g",
                "-Xmx1g",
                "-XX:+AlwaysPreTouch",
                "-cp",
                System.getProperty("java.class.path"),
                ManyConnections.class.getName(),
                "--child",
                client,
                "--targets",
                server.addresses().stream()
                        .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                        .collect(Collectors.joining(",")),
                "--connections",
                Integer.toString(options.connections()),
                "--transport",
                transport.name().toLowerCase(Locale.ROOT),
                "--io-threads",
                Integer.toString(ioThreads),
                "--batch",
                Integer.toString(options.batch())));
        return command;
    }

    /** Copies the child's stderr to ours, counting overflow warnings before and after every connection was open. */
    private static void pump(Process process, String client, int[] overflows) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            int phase = 0;
            String line;
            while ((line = err.readLine()) != null) {
                System.err.println("[" + client + "] " + line);
                if (line.contains(ConnectionsChild.ALL_OPEN_MARK)) {
                    phase = 1;
                } else if (line.contains(OVERFLOW_LOG)) {
                    synchronized (overflows) {
                        overflows[phase]++;
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("[" + client + "] stderr lost: " + e);
        }
    }

    /**
     * The first rows of {@code jmap -histo:live} of the child, and every row of a class with about one instance per
     * connection or more: what each connection costs, class by class.
     */
    private static String histogram(long pid, int connections) throws IOException, InterruptedException {
        Process jmap = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jmap").toString(),
                        "-histo:live",
                        Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        List<String> lines;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(jmap.getInputStream(), StandardCharsets.UTF_8))) {
            lines = out.lines().toList();
        }
        jmap.waitFor();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String row = lines.get(i);
            String[] columns = row.strip().split("\\s+");
            boolean perConnection = columns.length >= 4
                    && columns[1].matches("[0-9]+")
                    && Long.parseLong(columns[1]) >= connections * 9L / 10;
            if (i < HISTOGRAM_TOP_ROWS + 2 || perConnection || row.startsWith("Total")) {
                kept.add(row);
            }
        }
        return String.join("\n", kept);
    }

    /** The ephemeral port range, {@code [low, high]}: Linux's, or its default where it cannot be read. */
    static int[] portRange() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .strip()
                    .split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }
}
