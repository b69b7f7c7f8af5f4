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
import dev.tether.examples.server.WireFormat;
import dev.tether.reconnect.ReconnectPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints every message the server sends, one per line, until the server hangs up: {@code tail -f} for a TCP stream.
 *
 * <p>It receives in the push style: a {@link dev.tether.MessageHandler} is called on the connection's I/O thread for
 * each message, and the main thread just waits for {@link Connection#closeFuture()}. Standard output carries the
 * messages and nothing else (logs go to stderr), so the output can be piped. Without {@code --host} and
 * {@code --port} it tails an embedded {@link FeedServer} that sends ten messages.
 *
 * <pre>
 * $ java -jar tether-examples.jar tail
 * 1 abcdefghijklmnopqrstuvwxyzabcdefghijklm
 * 2 abcdefghijklmnopqrstuvwxyzabcdefghijklm
 * ...
 * </pre>
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Prints every message from the server to stdout, one per line, and exits when the server hangs up.",
            "Without --host and --port, tails an embedded feed server that sends " + TailExample.EMBEDDED_MESSAGES
                    + " messages."
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
        return run(Cli.bufferedStdout());
    }

    /**
     * Tails the server with the parsed options.
     *
     * @param out where messages are printed; flushed before this method returns
     * @return the exit code, 0 once the server has hung up
     * @throws dev.tether.ConnectFailedException if the server cannot be reached
     * @throws dev.tether.ConnectionClosedException if the connection broke, for example on a corrupt length prefix
     * @throws IOException if the embedded server cannot start
     */
    public int run(PrintStream out) throws IOException {
        Cli.checkRange(spec, "--max-frame", maxFrame, 1, Integer.MAX_VALUE);
        try (DemoServer embedded =
                remote.useEmbeddedServer() ? new FeedServer(EMBEDDED_MESSAGES, EMBEDDED_SIZE, format).start(0) : null) {
            DisconnectWatcher watcher = new DisconnectWatcher();
            // region tail
            ClientConfig<String> config = ClientConfig.builder()
                    .remoteAddress(remote.host(embedded), remote.port(embedded))
                    .framing(format == WireFormat.LINES ? Framing.lines(maxFrame) : Framing.lengthField(4, maxFrame))
                    .handler((connection, message) -> out.println(message)) // on the I/O thread, in order
                    .listener(watcher)
                    .reconnect(ReconnectPolicy.never()) // the session ends when the server hangs up
                    .build();
            try (TetherClient<String> client = TetherClient.create(config)) {
                Connection<String> connection = client.connect().join();
                connection.closeFuture().join(); // until the server hangs up
            } finally {
                out.flush();
            }
            // endregion
            if (watcher.failure().isPresent()) {
                throw watcher.failure().get();
            }
        }
        return 0;
    }
}
