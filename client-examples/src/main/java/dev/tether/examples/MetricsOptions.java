/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --metrics-port} option of the client examples: while the example runs, its client's meters are served
 * in Prometheus's text format at {@code http://127.0.0.1:PORT/metrics} ({@link MetricsEndpoint}).
 */
final class MetricsOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    private Integer port; // null: no endpoint

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve the client's metrics in Prometheus's text format at http://127.0.0.1:PORT/metrics "
                    + "while the command runs; 0 picks a free port. Default: none.")
    private void setPort(int port) {
        Cli.checkRange(spec, "--metrics-port", port, 0, 65535);
        this.port = port;
    }

    /**
     * Starts the endpoint if {@code --metrics-port} was given, and prints its address to {@code log} as
     * {@code metrics: http://127.0.0.1:PORT/metrics}; else returns one that records and serves nothing.
     *
     * @throws IOException if the port is taken, for example
     */
    MetricsEndpoint start(PrintWriter log) throws IOException {
        if (port == null) {
            return MetricsEndpoint.disabled();
        }
        MetricsEndpoint endpoint = MetricsEndpoint.start(port);
        log.println("metrics: " + endpoint.uri());
        log.flush();
        return endpoint;
    }
}
