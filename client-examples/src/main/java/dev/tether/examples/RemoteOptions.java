/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.examples.server.DemoServer;
import dev.tether.proxy.Proxy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --host}, {@code --port} and {@code --proxy} options of the client examples, and what they imply: with neither, the
 * example starts its embedded demo server on a free loopback port; with either, it connects to that server.
 */
final class RemoteOptions {
    /** The port used when only {@code --host} is given; also where {@code server} listens by default. */
    static final int DEFAULT_PORT = 9000;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    private String host;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description = "Server to connect to (default: 127.0.0.1 if --port is given). "
                    + "Without --host and --port, an embedded demo server is started on a free loopback port.")
    private void setHost(String host) {
        if (host.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--host': must not be blank");
        }
        this.host = host;
    }

    private Integer port;

    @Option(
            names = "--proxy",
            paramLabel = "URL",
            converter = ProxyConverter.class,
            description = "Connect through a proxy: socks5://[user:password@]host:port, socks4a://[user@]host:port or "
                    + "http://[user:password@]host:port (CONNECT). The proxy resolves the server's name.")
    private Proxy proxy;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Server port, 1 to 65535 (default: " + DEFAULT_PORT + " if --host is given).")
    private void setPort(int port) {
        Cli.checkRange(spec, "--port", port, 1, 65535);
        this.port = port;
    }

    /** Returns the proxy of {@code --proxy}, or null to connect straight. */
    Proxy proxy() {
        return proxy;
    }

    /** Tells whether neither {@code --host} nor {@code --port} was given, so the example runs its own server. */
    boolean useEmbeddedServer() {
        return host == null && port == null;
    }

    /** Returns the host to connect to: the embedded server's if there is one, else {@code --host}. */
    String host(DemoServer embedded) {
        return embedded != null || host == null ? DemoServer.HOST : host;
    }

    /** Returns the port to connect to: the embedded server's if there is one, else {@code --port}. */
    int port(DemoServer embedded) {
        if (embedded != null) {
            return embedded.port();
        }
        return port != null ? port : DEFAULT_PORT;
    }
}
