/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A peer whose every run happens in a fresh JVM, as a newcomer's program runs: the runner starts {@code java} with
 * its own classpath and JVM flags (debug agents left out) on {@code SideBySide --child ...}, the child builds the
 * peer as a newcomer would (Tether on the README's defaults: its own I/O thread, {@link Transport#AUTO}; Netty with
 * a group of its own), receives the feed once to warm up and once more timed, each within the runner's deadline,
 * prints one result line and exits. The warm-up run is the same feed on a new connection, so the timed run measures
 * a fresh process past its JIT's first compilations, as a long-lived consumer is, not the compiler.
 *
 * <p>Over TLS ({@code --tls}), the child trusts the benchmark's certificate authority, whose certificate the parent
 * wrote to a PEM file, and connects on the provider the parent names.
 */
final class ForkedPeer implements Peer {
    /** What the child's result line starts with; anything else it prints (logs go to stderr) is ignored. */
    static final String RESULT = "tether-bench-run";

    /** How much longer than the run's deadline the runner waits for a child before killing it: JVM start and exit. */
    static final Duration BACKSTOP = Duration.ofSeconds(30);

    private final String name; // the row's
    private final String client; // what the child builds: the row's name but for a baseline
    private final String classpath; // the child's
    private final Transport transport;
    private final Duration deadline;
    private final boolean warmUp;
    private final String tls; // "" over plain TCP
    private final Path authority; // null over plain TCP
    private volatile String label; // the child's answer, once one ran

    ForkedPeer(String name, Transport transport, Duration deadline) {
        this(name, transport, deadline, true);
    }

    /** A forked peer whose JVMs warm up first, or not ({@code --cold}). */
    ForkedPeer(String name, Transport transport, Duration deadline, boolean warmUp) {
        this(name, transport, deadline, warmUp, "", null);
    }

    /** A forked peer over TLS on the provider {@code tls}, trusting the authority in {@code authority}. */
    ForkedPeer(String name, Transport transport, Duration deadline, boolean warmUp, String tls, Path authority) {
        this(name, name, System.getProperty("java.class.path"), transport, deadline, warmUp, tls, authority);
    }

    private ForkedPeer(
            String name,
            String client,
            String classpath,
            Transport transport,
            Duration deadline,
            boolean warmUp,
            String tls,
            Path authority) {
        this.name = name;
        this.client = client;
        this.classpath = classpath;
        this.transport = transport;
        this.deadline = deadline;
        this.warmUp = warmUp;
        this.tls = tls;
        this.authority = authority;
        this.label = TetherPeer.label(transport);
    }

    /**
     * Returns this peer run from another build of the benchmark, {@code jar} (its shaded jar, whose child takes the
     * same arguments), in a row named {@code <name>@<jar's file name without .jar>}: an A/B of two builds, interleaved
     * in one run against one feed server.
     */
    ForkedPeer baseline(Path jar) {
        String label = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        return new ForkedPeer(name + "@" + label, client, jar.toString(), transport, deadline, warmUp, tls, authority);
    }

    /**
     * What the parent tells a child: which peer, on which transport, which run, and its deadline; over TLS, the
     * provider and the file of the authority to trust ({@code ""} and {@code null} over plain TCP).
     */
    record ChildArgs(
            String client,
            Transport transport,
            Workload workload,
            long messages,
            int port,
            Duration deadline,
            boolean warmUp,
            String tls,
            Path authority) {
        ChildArgs(String client, Transport transport, Workload workload, long messages, int port, Duration deadline) {
            this(client, transport, workload, messages, port, deadline, true);
        }

        ChildArgs(
                String client,
                Transport transport,
                Workload workload,
                long messages,
                int port,
                Duration deadline,
                boolean warmUp) {
            this(client, transport, workload, messages, port, deadline, warmUp, "", null);
        }

        List<String> toArgs() {
            return List.of(
                    "--child",
                    client,
                    transport.name(),
                    workload.label(),
                    Long.toString(messages),
                    Integer.toString(port),
                    Long.toString(deadline.toMillis()),
                    warmUp ? "warm" : "cold",
                    tls.isEmpty() ? "tcp" : tls,
                    authority == null ? "-" : authority.toString());
        }

        /** Parses the arguments that follow {@code --child}. */
        static ChildArgs parse(List<String> args) {
            if (args.size() != 9 || !List.of("warm", "cold").contains(args.get(6))) {
                throw new IllegalArgumentException("--child takes: client transport workload messages port"
                        + " deadline-millis warm|cold tcp|jdk|openssl authority-file|-, not " + args);
            }
            return new ChildArgs(
                    args.get(0),
                    Transport.valueOf(args.get(1)),
                    SideBySide.Options.workloads(args.get(2)).get(0),
                    Long.parseLong(args.get(3)),
                    Integer.parseInt(args.get(4)),
                    Duration.ofMillis(Long.parseLong(args.get(5))),
                    args.get(6).equals("warm"),
                    args.get(7).equals("tcp") ? "" : args.get(7),
                    args.get(8).equals("-") ? null : Path.of(args.get(8)));
        }
    }

    /** What a child answers: the transport it ran on, and the run's nanoseconds, or -1 if it stalled. */
    record ChildResult(String transport, long nanos) {
        boolean stalled() {
            return nanos < 0;
        }

        /** {@code tether-bench-run transport=epoll nanos=123} or {@code ... nanos=stalled}. */
        String line() {
            return RESULT + " transport=" + transport + " nanos=" + (stalled() ? "stalled" : Long.toString(nanos));
        }

        /** Finds the result line in what a child printed. */
        static ChildResult parse(List<String> output) {
            for (String line : output) {
                String[] words = line.strip().split(" ");
                if (words.length == 3
                        && words[0].equals(RESULT)
                        && words[1].startsWith("transport=")
                        && words[2].startsWith("nanos=")) {
                    String nanos = words[2].substring("nanos=".length());
                    return new ChildResult(
                            words[1].substring("transport=".length()),
                            nanos.equals("stalled") ? -1 : Long.parseLong(nanos));
                }
            }
            throw new IllegalStateException("no '" + RESULT + "' line in the child's output: " + output);
        }
    }

    /**
     * Runs one child: builds its peer, receives once to warm up and once timed, each within the deadline, closes it,
     * and returns its answer. A stall in either run is an answer, not a failure; a wrong count or any other failure
     * is thrown, and the child exits non-zero.
     */
    static ChildResult child(ChildArgs args) throws Exception {
        BenchTls.Client tls = args.tls().isEmpty()
                ? null
                : BenchTls.trusting(args.authority()).client(BenchTls.provider(args.tls()));
        Peer peer = new BoundedPeer(SideBySide.create(args.client(), args.transport(), true, tls), args.deadline());
        try {
            long nanos;
            try {
                if (args.warmUp()) {
                    peer.receive(args.workload(), args.messages(), args.port());
                }
                nanos = peer.receive(args.workload(), args.messages(), args.port());
            } catch (RunStalledException e) {
                System.err.println(e.getMessage());
                nanos = -1;
            }
            return new ChildResult(peer.transport(), nanos);
        } finally {
            peer.close();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String transport() {
        return label;
    }

    @Override
    public String tls() {
        return tls;
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        List<String> command = command(
                classpath,
                new ChildArgs(client, transport, workload, messages, port, deadline, warmUp, tls, authority).toArgs());
        Path out = Files.createTempFile("tether-bench-child", ".txt");
        try {
            Process child = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            // the child keeps the run's deadline itself; this bound is for a child that hangs anyway
            if (!child.waitFor(deadline.plus(BACKSTOP).toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly().waitFor();
                throw new RunStalledException(String.format(
                        Locale.ROOT,
                        "%s (%s) on %s: stalled, its JVM did not exit within %d s and was killed",
                        name,
                        label,
                        workload.label(),
                        deadline.plus(BACKSTOP).toSeconds()));
            }
            List<String> output = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (child.exitValue() != 0) {
                throw new IllegalStateException(name + " on " + workload.label() + ": the child JVM exited with "
                        + child.exitValue() + " (its errors are above); it printed " + output);
            }
            ChildResult result = ChildResult.parse(output);
            label = result.transport();
            if (result.stalled()) {
                throw new RunStalledException(String.format(
                        Locale.ROOT,
                        "%s (%s) on %s: stalled, no end within %.1f s",
                        name,
                        label,
                        workload.label(),
                        deadline.toMillis() / 1000.0));
            }
            return result.nanos();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The command that starts a child: this JVM's java, flags and classpath, without debug agents. */
    static List<String> command(List<String> childArgs) {
        return command(System.getProperty("java.class.path"), childArgs);
    }

    /** The same on {@code classpath}. */
    static List<String> command(String classpath, List<String> childArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!isDebug(flag)) {
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(classpath);
        command.add(SideBySide.class.getName());
        command.addAll(childArgs);
        return command;
    }

    static boolean isDebug(String flag) {
        return flag.startsWith("-agentlib:jdwp") || flag.startsWith("-Xrunjdwp") || flag.equals("-Xdebug");
    }
}
