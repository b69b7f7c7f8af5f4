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
import dev.tether.examples.server.GreetingServer;
import dev.tether.proxy.Proxy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.tls.Tls;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The classic socket walkthrough: connect, read the server's first line, answer it, close.
 *
 * <p>It receives in the pull style, with {@link Connection#receive(Duration)}: no handler is set, so messages wait in
 * the connection's inbox until asked for. Without {@code --host} and {@code --port} it talks to an embedded
 * {@link GreetingServer}.
 *
 * <pre>
 * $ java -jar tether-examples.jar hello
 * Received data: Hello from the Tether demo server!
 * </pre>
 */
@Command(
        name = "hello",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Connects, prints the server's first line as 'Received data: <line>', answers 'Hello, server!' and closes.",
            "Without --host and --port, talks to an embedded greeting server."
        })
public final class HelloExample implements Callable<Integer> {
    @Mixin
    private RemoteOptions remote;

    @Mixin
    private TlsOptions tlsOptions;

    /**
     * Runs the example on its own; takes the same options as {@code tether-examples.jar hello}.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(Cli.execute(new HelloExample(), args));
    }

    @Override
    public Integer call() throws Exception {
        return run(System.out);
    }

    /**
     * Runs the walkthrough with the parsed options.
     *
     * @param out where the received line is printed
     * @return the exit code, 0
     * @throws dev.tether.ConnectFailedException if the server cannot be reached
     * @throws IOException if no line arrives within 10 seconds or the server hangs up first, or if the embedded
     *     server cannot start
     */
    public int run(PrintStream out) throws IOException, InterruptedException {
        try (DemoServer embedded = remote.useEmbeddedServer()
                ? tlsOptions.secure(new GreetingServer()).start(0)
                : null) {
            String host = remote.host(embedded);
            int port = remote.port(embedded);
            Tls tls = tlsOptions.settings(); // null unless --tls, --ca, --cert... asked for TLS
            Proxy proxy = remote.proxy(); // null unless --proxy

            // region quickstart
            ClientConfig<String> config = ClientConfig.builder()
                    .remoteAddress(host, port)
                    .tls(tls) // null: plain TCP; Tls.system() would encrypt, trusting the JDK's CAs
                    .proxy(proxy) // null: straight to the server; Proxy.socks5(host, port) would go through one
                    .framing(Framing.lines(1024)) // LF-terminated lines of up to 1 KiB, both ways
                    .reconnect(ReconnectPolicy.disabled()) // one exchange: when the server hangs up, we are done
                    .build();
            try (TetherClient<String> client = TetherClient.create(config)) {
                Connection<String> connection = client.connect().join();
                String line = connection
                        .receive(Duration.ofSeconds(10)) // empty if nothing came in time or the server hung up
                        .orElseThrow(() -> new IOException(
                                connection.isOpen()
                                        ? "no line from " + host + ":" + port + " within 10 s"
                                        : host + ":" + port + " closed the connection before sending a line"));
                out.println("Received data: " + line);
                connection.send("Hello, server!").join(); // the framing appends the LF
                connection.close();
            }
            // endregion
        }
        return 0;
    }
}
