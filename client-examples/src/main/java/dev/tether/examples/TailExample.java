/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.codec.Framing;
import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.FeedServer;
import dev.tether.examples.server.FlakyServer;
import dev.tether.examples.server.WireFormat;
import dev.tether.reconnect.ReconnectPolicy;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Prints every message the server sends, one per line, until the server hangs up: {@code tail -f} for a TCP stream.
 *
 * <p>It receives in the push style: a {@link dev.tether.MessageHandler} is called on the connection's I/O thread for
 * each message, and the main thread just waits for {@link Connection#closeFuture()}. Standard output carries the
 * messages and nothing else (logs go to stderr), so the output can be piped. Without {@code --host} and
 * {@code --port} it tails an embedded {@link FeedServer} that sends ten messages, or with {@code --reconnect} an
 * embedded {@link FlakyServer} that fails on a schedule.
 *
 * <p>With {@code --reconnect} it outlives the server: it waits for a server that is not up yet, reconnects after
 * every loss under the client's default policy, and reports each connect, loss and retry on stderr
 * ({@link ReconnectReporter}). It then ends only on Ctrl-C, which closes the client through a shutdown hook, or if
 * a reconnect policy gives up (exit code 1). {@code --idle-timeout}, {@code --heartbeat} and {@code --on-connect}
 * map onto the idle policy and the on-connect hook ({@link ResilienceOptions}).
 *
 * <pre>
 * $ java -jar tether-examples.jar tail
 * 1 abcdefghijklmnopqrstuvwxyzabcdefghijklm
 * 2 abcdefghijklmnopqrstuvwxyzabcdefghijklm
 * ...
 * $ java -jar tether-examples.jar tail --port 9200 --reconnect --idle-timeout 2s --heartbeat 1s --on-connect HELLO
 * </pre>
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Prints every message from the server to stdout, one per line, and exits when the server hangs up: 0 if "
                    + "it closed cleanly, 1 if the connection broke.",
            "With --reconnect, keeps going across server restarts until Ctrl-C, with events on stderr; exits 1 only "
                    + "if the reconnect policy gives up.",
            "Without --host and --port, tails an embedded feed server that sends " + TailExample.EMBEDDED_MESSAGES
                    + " messages; with --reconnect, an embedded flaky server (see: server flaky)."
        })
public final class TailExample implements Callable<Integer> {
    /** How many messages the embedded feed server sends. */
    static final int EMBEDDED_MESSAGES = 10;
    /** The size of each message of the embedded feed server, in bytes. */
    static final int EMBEDDED_SIZE = 40;

    @Spec
    private CommandSpec spec;

    @Mixin
    private RemoteOptions remote;

    @Mixin
    private TlsOptions tls;

    @Mixin
    private ResilienceOptions resilience;

    @Mixin
    private MetricsOptions metrics;

    @Option(
            names = "--framing",
            paramLabel = "FORMAT",
            defaultValue = "lines",
            description = "lines: LF-terminated (default); lenpref: after a 4-byte big-endian length.")
    private WireFormat format;

    @Option(
            names = "--max-frame",
            paramLabel = "BYTES",
            defaultValue = "65536",
            description = "Longest message accepted, in bytes (default: ${DEFAULT-VALUE}). "
                    + "A longer line is dropped with a warning; a longer length prefix ends the connection.")
    private int maxFrame;

    private ReconnectPolicy reconnectPolicy; // null: the client's default

    /**
     * Runs the example on its own; takes the same options as {@code tether-examples.jar tail}.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(Cli.execute(new TailExample(), args));
    }

    @Override
    public Integer call() throws Exception {
        return run(Cli.bufferedStdout(), spec.commandLine().getErr());
    }

    /**
     * Tails the server with the parsed options until the connection is closed for good: the server hung up (without
     * {@code --reconnect}), the reconnect policy gave up, or the client was closed by Ctrl-C. Interrupting the
     * calling thread stops it too, as Ctrl-C does.
     *
     * @param out where messages are printed; flushed before this method returns
     * @param err where {@code --reconnect} reports connects, losses and retries, one line each, and
     *     {@code --metrics-port} the address of its endpoint
     * @return the exit code, 0
     * @throws dev.tether.ConnectFailedException if the server cannot be reached (without {@code --reconnect})
     * @throws dev.tether.ConnectionClosedException if the connection broke, for example on a corrupt length prefix
     *     (without {@code --reconnect})
     * @throws ExampleException if the reconnect policy gave up
     * @throws IOException if the embedded server or the metrics endpoint cannot start
     */
    public int run(PrintStream out, PrintWriter err) throws IOException {
        Cli.checkRange(spec, "--max-frame", maxFrame, 1, Integer.MAX_VALUE);
        resilience.check(format == WireFormat.LINES);
        try (MetricsEndpoint endpoint = metrics.start(err); // --metrics-port: first, so a taken port fails at once
                DemoServer embedded = remote.useEmbeddedServer()
                        ? tls.secure(embeddedServer()).start(0)
                        : null) {
            DisconnectWatcher watcher = new DisconnectWatcher();
            ReconnectReporter reporter = new ReconnectReporter(err);
            // region tail
            ClientConfig<String> config = resilience
                    .applyTo(ClientConfig.builder()) // --reconnect, --idle-timeout, --heartbeat, --on-connect
                    .remoteAddress(remote.host(embedded), remote.port(embedded))
                    .tls(tls.settings()) // --tls, --ca, --cert...: null (plain TCP) unless asked
                    .proxy(remote.proxy()) // --proxy: null connects straight
                    .framing(format == WireFormat.LINES ? Framing.lines(maxFrame) : Framing.lengthField(4, maxFrame))
                    .handler((connection, message) -> out.println(message)) // on the I/O thread, in order
                    .addHandler(() -> new FlushAfterEachRead(out)) // live output, one flush per socket read
                    .listener(resilience.reconnect() ? reporter : watcher)
                    .name("tail") // in thread names, connection ids and the metrics' client tag
                    .metrics(endpoint.recorder()) // --metrics-port: TetherMetrics on a Prometheus registry, or NONE
                    .build();
            // endregion
            if (reconnectPolicy != null && resilience.reconnect()) {
                config = config.toBuilder().reconnect(reconnectPolicy).build();
            }
            RuntimeException connectFailure = null;
            boolean interrupted = false;
            try (TetherClient<String> client = TetherClient.create(config);
                    CloseOnShutdown hook = CloseOnShutdown.install(client, out, endpoint)) {
                try {
                    Connection<String> connection = client.connect().get();
                    connection.closeFuture().get(); // until the server hangs up, the policy gives up, or Ctrl-C
                } catch (ExecutionException e) {
                    // closed by Ctrl-C while connecting is a stop, not a failure
                    connectFailure = client.isClosed() ? null : unchecked(e.getCause());
                } catch (InterruptedException e) {
                    interrupted = true; // the client closes below, and only then is the flag restored
                }
            } finally {
                out.flush();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (reporter.gaveUp().isPresent()) {
                throw new ExampleException(reporter.gaveUp().get());
            }
            if (connectFailure != null) {
                throw connectFailure;
            }
            if (watcher.failure().isPresent()) {
                throw watcher.failure().get();
            }
        }
        return 0;
    }

    /**
     * Returns the server tailed without {@code --host} and {@code --port}: a feed that sends ten messages, or with
     * {@code --reconnect} a {@link FlakyServer} that fails on a schedule until Ctrl-C.
     */
    private DemoServer embeddedServer() {
        if (!resilience.reconnect()) {
            return new FeedServer(EMBEDDED_MESSAGES, EMBEDDED_SIZE, format);
        }
        if (format != WireFormat.LINES) {
            throw new ParameterException(
                    spec.commandLine(),
                    "The embedded flaky server of --reconnect sends lines: drop --framing lenpref, or give --port");
        }
        return new FlakyServer(FlakyServer.DEFAULT_SEED, FlakyServer.DEFAULT_INTERVAL);
    }

    /**
     * Flushes the example's output once the messages of one socket read are printed: lines show up as they arrive,
     * yet a fast stream costs one flush per read, not one per line. A plain Netty handler added with
     * {@link ClientConfig.Builder#addHandler}: it sees each read end after the messages of that read were handled.
     */
    private static final class FlushAfterEachRead extends ChannelInboundHandlerAdapter {
        private final PrintStream out;

        FlushAfterEachRead(PrintStream out) {
            this.out = out;
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            out.flush();
            ctx.fireChannelReadComplete();
        }
    }

    /**
     * Makes {@code --reconnect} use {@code policy} instead of the client's default, which never gives up: for tests
     * of what happens when a policy does. The public command line keeps the default.
     *
     * @return this command
     */
    TailExample reconnectPolicy(ReconnectPolicy policy) {
        this.reconnectPolicy = policy;
        return this;
    }

    private static RuntimeException unchecked(Throwable failure) {
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }
}
