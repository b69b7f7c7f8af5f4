/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tether.MetricsRecorder;
import dev.tether.examples.server.DemoServer;
import dev.tether.micrometer.TetherMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Serves a client's meters at {@code GET /metrics} in Prometheus's text format, on the JDK's built-in HTTP server
 * bound to 127.0.0.1; any other path is a 404. Set {@link #recorder()} as the client's metrics recorder, and close
 * the endpoint when the example ends.
 *
 * <pre>
 * $ curl -s http://127.0.0.1:9400/metrics | grep ^tether_messages_received
 * tether_messages_received_total{client="stream"} 1000000.0
 * </pre>
 */
final class MetricsEndpoint implements AutoCloseable {
    static final String PATH = "/metrics";
    /** Prometheus's text exposition format, what {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server; // null: disabled
    private final MetricsRecorder recorder;

    private MetricsEndpoint(HttpServer server, MetricsRecorder recorder) {
        this.server = server;
        this.recorder = recorder;
    }

    /** Returns an endpoint that serves nothing, whose recorder records nothing. */
    static MetricsEndpoint disabled() {
        return new MetricsEndpoint(null, MetricsRecorder.NONE);
    }

    /**
     * Starts serving on 127.0.0.1:{@code port}; 0 picks a free port.
     *
     * @throws IOException if the port is taken, for example
     */
    static MetricsEndpoint start(int port) throws IOException {
        // region metrics
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsRecorder recorder = TetherMetrics.of(registry); // set with ClientConfig.Builder.metrics(recorder)
        // endregion
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(DemoServer.HOST, port), 0);
        } catch (IOException e) { // "Address already in use", mostly
            throw new IOException("cannot serve metrics on " + DemoServer.HOST + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> respond(exchange, registry));
        server.start(); // one dispatcher thread of its own; stopped by close()
        return new MetricsEndpoint(server, recorder);
    }

    /** Returns the recorder to give the client: it registers the client's meters in this endpoint's registry. */
    MetricsRecorder recorder() {
        return recorder;
    }

    /** Returns where the meters are served, {@code http://127.0.0.1:PORT/metrics}. */
    URI uri() {
        if (server == null) {
            throw new IllegalStateException("no --metrics-port, no endpoint");
        }
        return URI.create(
                "http://" + DemoServer.HOST + ":" + server.getAddress().getPort() + PATH);
    }

    /** Stops serving at once: a scrape under way is cut off. */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void respond(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            boolean found =
                    PATH.equals(exchange.getRequestURI().getPath()) && "GET".equals(exchange.getRequestMethod());
            byte[] body = (found ? registry.scrape() : "404 not found: try GET " + PATH + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", found ? CONTENT_TYPE : "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(found ? 200 : 404, body.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(body);
            }
        }
    }
}
