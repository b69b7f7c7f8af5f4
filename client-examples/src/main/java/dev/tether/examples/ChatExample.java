/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.codec.Framing;
import dev.tether.examples.server.ChatServer;
import dev.tether.examples.server.DemoServer;
import dev.tether.reconnect.ReconnectPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * An interactive line chat: sends each line typed on stdin, prints each line the server relays.
 *
 * <p>It shows both directions at once. Received lines go to a {@link dev.tether.MessageHandler} on the I/O thread;
 * typed lines are read on a thread of its own, since reading a terminal blocks, and sent with
 * {@link Connection#send(Object)}. The first line sent is {@code NAME <name>}, as the {@link ChatServer} protocol
 * asks. It ends at the end of input (Ctrl-D) or when the server hangs up, whichever comes first.
 *
 * <p>Without {@code --host} and {@code --port} it starts an embedded {@link ChatServer} and logs its port, so that
 * others can join from another terminal with {@code chat --port <port>}.
 *
 * <pre>
 * $ java -jar tether-examples.jar chat --port 9000 --name alice
 * * welcome alice, 2 online
 * bob: hi alice
 * </pre>
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Sends each line typed on stdin to a chat server and prints the lines it relays from others.",
            "Exits at the end of input (Ctrl-D) or when the server hangs up.",
            "Without --host and --port, starts an embedded chat server that others can join with --port."
        })
public final class ChatExample implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ChatExample.class);

    @Spec
    private CommandSpec spec;

    @Mixin
    private RemoteOptions remote;

    @Mixin
    private TlsOptions tls;

    @Mixin
    private MetricsOptions metrics;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            defaultValue = "${sys:user.name:-guest}",
            description = "Name shown to the others (default: your user name).")
    private String name;

    /**
     * Runs the example on its own; takes the same options as {@code tether-examples.jar chat}.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(Cli.execute(new ChatExample(), args));
    }

    @Override
    public Integer call() throws Exception {
        return run(System.in, System.out, spec.commandLine().getErr());
    }

    /**
     * Chats with the parsed options until the input ends or the server hangs up; {@code --metrics-port} prints its
     * address to stderr.
     *
     * @param in the lines to send, in the platform charset
     * @param out where received lines are printed
     * @return the exit code, 0
     * @throws dev.tether.ConnectFailedException if the server cannot be reached
     * @throws dev.tether.ConnectionClosedException if the connection broke
     * @throws IOException if the embedded server or the metrics endpoint cannot start
     */
    public int run(InputStream in, PrintStream out) throws IOException {
        return run(in, out, spec.commandLine().getErr());
    }

    /**
     * Chats with the parsed options until the input ends or the server hangs up.
     *
     * @param in the lines to send, in the platform charset
     * @param out where received lines are printed
     * @param err where {@code --metrics-port} prints the address of its endpoint
     * @return the exit code, 0
     * @throws dev.tether.ConnectFailedException if the server cannot be reached
     * @throws dev.tether.ConnectionClosedException if the connection broke
     * @throws IOException if the embedded server or the metrics endpoint cannot start
     */
    public int run(InputStream in, PrintStream out, PrintWriter err) throws IOException {
        try (MetricsEndpoint endpoint = metrics.start(err); // --metrics-port: first, so a taken port fails at once
                DemoServer embedded = remote.useEmbeddedServer()
                        ? tls.secure(new ChatServer()).start(0)
                        : null) {
            if (embedded != null) {
                log.info(
                        "chat server on {}:{}; join from another terminal with: chat --port {}",
                        DemoServer.HOST,
                        embedded.port(),
                        embedded.port());
            }
            DisconnectWatcher watcher = new DisconnectWatcher();
            ClientConfig<String> config = ClientConfig.builder()
                    .remoteAddress(remote.host(embedded), remote.port(embedded))
                    .tls(tls.settings())
                    .proxy(remote.proxy())
                    .framing(Framing.lines(8 * 1024))
                    .handler((connection, line) -> out.println(line)) // on the I/O thread
                    .listener(watcher)
                    .reconnect(ReconnectPolicy.disabled()) // the session ends when the server hangs up
                    .name("chat") // in thread names, connection ids and the metrics' client tag
                    .metrics(endpoint.recorder()) // --metrics-port: TetherMetrics on a Prometheus registry, or NONE
                    .build();
            try (TetherClient<String> client = TetherClient.create(config)) {
                Connection<String> connection = client.connect().join();
                connection.send(ChatServer.NAME_COMMAND + name).join();
                CompletableFuture<Void> inputEnded = sendLines(in, connection);
                CompletableFuture.anyOf(inputEnded, connection.closeFuture()).join();
                if (!connection.isOpen()) {
                    log.info("the server closed the connection");
                }
                connection.close();
            }
            if (watcher.failure().isPresent()) {
                throw watcher.failure().get();
            }
        }
        return 0;
    }

    /**
     * Sends each line of {@code in}, on a thread of its own; returns a future completed at the end of input, or once
     * a line cannot be sent because the connection closed.
     */
    private static CompletableFuture<Void> sendLines(InputStream in, Connection<String> connection) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    // not closed here: the stream belongs to the caller (System.in, in a terminal)
                    BufferedReader lines = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
                    try {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            connection.send(line).join(); // waiting keeps a pasted flood from piling up in memory
                        }
                    } catch (IOException | RuntimeException e) {
                        if (connection.isOpen()) {
                            log.warn("stopped sending: {}", Cli.describe(e));
                        }
                    } finally {
                        ended.complete(null);
                    }
                },
                "chat-input");
        reader.setDaemon(true); // a read from a terminal cannot be interrupted; it must not keep the JVM alive
        reader.start();
        return ended;
    }
}
