/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.examples.server.ChatServer;
import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.DemoTls;
import dev.tether.examples.server.EchoServer;
import dev.tether.examples.server.FeedServer;
import dev.tether.examples.server.FlakyServer;
import dev.tether.examples.server.GreetingServer;
import dev.tether.examples.server.WireFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs one of the demo servers on its own, in the foreground until Ctrl-C, so that the client examples (or any other
 * client) can connect to it with {@code --port}.
 *
 * <pre>
 * $ java -jar tether-examples.jar server feed --port 9000 --messages 100
 * listening on 127.0.0.1:9000
 * </pre>
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Runs one demo server on 127.0.0.1 until Ctrl-C and prints 'listening on 127.0.0.1:<port>' to stderr.",
            "greeting: sends one line, logs the line it gets back, hangs up (for hello).",
            "feed: sends --messages numbered lines of --size bytes as fast as possible, hangs up (for tail, stream).",
            "chat: relays each line to the other clients (for chat).",
            "echo: sends every byte back.",
            "flaky: sends 'tick <n>' every --interval, and ends each connection on a schedule drawn from --seed: "
                    + "hangs up at once, drops, resets, or goes silent (for tail --reconnect)."
        })
public final class ServerExample implements Callable<Integer> {
    /** The demo servers. */
    enum Kind {
        GREETING,
        FEED,
        CHAT,
        ECHO,
        FLAKY
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "greeting, feed, chat, echo or flaky.")
    private Kind kind;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + RemoteOptions.DEFAULT_PORT,
            description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--tls",
            description = "Speak TLS, with a certificate for localhost and 127.0.0.1 issued by a CA made at start; "
                    + "the CA's certificate is written to a temporary file, named on stderr, for clients' --ca.")
    private boolean tls;

    @Option(
            names = "--messages",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "feed: messages sent to each client (default: ${DEFAULT-VALUE}).")
    private long messages;

    @Option(
            names = "--size",
            paramLabel = "BYTES",
            defaultValue = "64",
            description =
                    "feed: size of each message in bytes, without LF or length prefix (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(
            names = "--framing",
            paramLabel = "FORMAT",
            defaultValue = "lines",
            description = "feed: lines (LF after each message, the default) or lenpref (4-byte length before it).")
    private WireFormat format;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "" + FlakyServer.DEFAULT_SEED,
            description =
                    "flaky: chooses the schedule of failures; the same seed replays it (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "200ms",
            converter = DurationConverter.class,
            description = "flaky: time between ticks, such as 200ms or 1s (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    /**
     * Runs the example on its own; takes the same arguments as {@code tether-examples.jar server}.
     *
     * @param args the server kind and options
     */
    public static void main(String[] args) {
        System.exit(Cli.execute(new ServerExample(), args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        DemoServer server = start(System.err);
        server.awaitClose(); // nothing closes it: the server runs until the JVM is stopped (Ctrl-C)
        return 0;
    }

    /**
     * Starts the server chosen by the parsed arguments and prints {@code listening on 127.0.0.1:<port>} to
     * {@code log}. The caller closes the server.
     *
     * @param log where the listening address is printed
     * @return the running server
     * @throws IOException if the port cannot be bound
     */
    public DemoServer start(PrintStream log) throws IOException {
        Cli.checkRange(spec, "--port", port, 0, 65535);
        Cli.checkRange(spec, "--messages", messages, 0, Long.MAX_VALUE);
        Cli.checkRange(spec, "--size", size, 1, FeedServer.MAX_SIZE);
        DemoServer server = switch (kind) {
            case GREETING -> new GreetingServer();
            case FEED -> new FeedServer(messages, size, format);
            case CHAT -> new ChatServer();
            case ECHO -> new EchoServer();
            case FLAKY -> new FlakyServer(seed, interval);
        };
        Path authority = null;
        if (tls) {
            DemoTls certificates = DemoTls.create();
            server.tls(certificates.serverCertificate());
            authority = certificates.writeAuthority();
        }
        server.start(port);
        log.println("listening on " + DemoServer.HOST + ":" + server.port());
        if (authority != null) {
            log.println("TLS: clients trust this server with --ca " + authority);
        }
        log.flush();
        return server;
    }
}
