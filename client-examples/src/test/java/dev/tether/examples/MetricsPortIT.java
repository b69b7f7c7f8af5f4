/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.Commands.Result;
import dev.tether.testing.Threads;
import dev.tether.testkit.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --metrics-port}: the client's meters scraped over HTTP while an example runs, and the option's errors. */
class MetricsPortIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern METRICS_LINE = Pattern.compile("(?m)^metrics: (http://127\\.0\\.0\\.1:\\d+/metrics)$");
    private static final String RECEIVED = "tether_messages_received_total{client=\"tail\"}";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Output out = new Output();
    private final Output err = new Output();
    private Commands.Background tail;

    @AfterEach
    void stopTail() throws InterruptedException {
        if (tail != null) {
            tail.stop(TIMEOUT);
        }
        Threads.awaitNone("tail-io-", TIMEOUT);
    }

    @Test
    void tailServesItsMetricsInPrometheusTextWhileItRuns() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> exit = startTailWithMetrics(listener);
            URI metrics = awaitMetricsUri();
            try (Socket server = listener.accept()) {
                OutputStream feed = server.getOutputStream();
                feed.write("one\ntwo\nthree\n".getBytes(StandardCharsets.US_ASCII));
                feed.flush();

                String first = Await.value(
                        () -> scrape(metrics), text -> value(text, RECEIVED).orElse(0) == 3, TIMEOUT, "3 messages");
                assertEquals(OptionalDouble.of(1), value(first, "tether_connections_open{client=\"tail\"}"), first);
                assertEquals(
                        OptionalDouble.of(1),
                        value(first, "tether_connects_total{client=\"tail\",outcome=\"success\"}"),
                        first);
                assertEquals(
                        OptionalDouble.of(1),
                        value(first, "tether_connect_duration_seconds_count{client=\"tail\",outcome=\"success\"}"),
                        first);

                feed.write("four\nfive\n".getBytes(StandardCharsets.US_ASCII));
                feed.flush();

                Await.value(
                        () -> scrape(metrics),
                        text -> value(text, RECEIVED).orElse(0) == 5,
                        TIMEOUT,
                        "5 messages in a second scrape");
            }
            // the server hung up: tail ends, and its endpoint with it
            assertEquals(0, exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals("one two three four five", String.join(" ", out.lines()));
            assertThrows(ConnectException.class, () -> get(metrics));
        }
    }

    @Test
    void theEndpointAnswersOnlyGetMetrics() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> exit = startTailWithMetrics(listener);
            URI metrics = awaitMetricsUri();
            try (Socket server = listener.accept()) {
                HttpResponse<String> ok = get(metrics);
                assertEquals(200, ok.statusCode());
                assertEquals(
                        Optional.of("text/plain; version=0.0.4; charset=utf-8"),
                        ok.headers().firstValue("Content-Type"));
                assertTrue(ok.body().contains("# TYPE tether_messages_received_total counter"), ok.body());

                assertEquals(404, get(metrics.resolve("/")).statusCode());
                assertEquals(404, get(metrics.resolve("/metrics/more")).statusCode());
                HttpResponse<String> post = http.send(
                        HttpRequest.newBuilder(metrics)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(404, post.statusCode());
            }
            assertEquals(0, exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void streamPrintsWhereItServesAndStopsServingAtTheEnd() throws Exception {
        Output summary = new Output();
        Output progress = new Output();

        int exitCode = Commands.parse(new StreamExample(), "--messages", "1000", "--metrics-port", "0")
                .run(summary.stream(), progress.stream());

        assertEquals(0, exitCode);
        URI metrics = metricsUri(progress.text()).orElseThrow(() -> new AssertionError(progress.text()));
        assertThrows(ConnectException.class, () -> get(metrics));
        assertTrue(
                summary.lines().get(1).startsWith("summary: 1000 messages in (65000 bytes), 0 out; "), summary.text());
    }

    @Test
    void chatServesItsMetricsUnderItsOwnName() throws Exception {
        Pipe input = Pipe.open();
        Output screen = new Output();
        ChatExample chat = Commands.parse(new ChatExample(), "--name", "alice", "--metrics-port", "0");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return chat.run(Channels.newInputStream(input.source()), screen.stream(), err.writer());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (OutputStream keyboard = Channels.newOutputStream(input.sink())) {
            URI metrics = awaitMetricsUri();
            keyboard.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            keyboard.flush();

            // NAME alice, then hello
            Await.value(
                    () -> scrape(metrics),
                    text -> value(text, "tether_messages_sent_total{client=\"chat\"}")
                                    .orElse(0)
                            == 2,
                    TIMEOUT,
                    "2 messages sent");
        } finally {
            input.source().close(); // if the chat never started, nothing else ends its read
        }
        assertEquals(0, exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        for (String command : new String[] {"tail", "stream", "chat"}) {
            Result result = Commands.execute(command, "--metrics-port", "65536");

            assertEquals(2, result.exitCode(), command);
            assertEquals(
                    "Invalid value for option '--metrics-port': 65536 is not in 0..65535\n" + "See 'tether-examples "
                            + command + " --help'.",
                    result.err().strip().replace(System.lineSeparator(), "\n"));
        }
        assertEquals(2, Commands.execute("stream", "--metrics-port", "-1").exitCode());
    }

    @Test
    void aPortInUseFailsNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = Commands.execute("stream", "--metrics-port", "" + taken.getLocalPort());

            assertEquals(1, result.exitCode());
            assertEquals(
                    "error: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use",
                    result.err().strip());
        }
    }

    /** Starts {@code tail} against {@code listener}, serving its metrics on a port of its choosing. */
    private CompletableFuture<Integer> startTailWithMetrics(ServerSocket listener) throws IOException {
        listener.setSoTimeout((int) TIMEOUT.toMillis());
        return startTail("--port", "" + listener.getLocalPort(), "--metrics-port", "0");
    }

    /** Waits for the command's {@code metrics: <url>} line on stderr and returns the URL. */
    private URI awaitMetricsUri() {
        return Await.value(() -> metricsUri(err.text()), Optional::isPresent, TIMEOUT, "the metrics line")
                .get();
    }

    /** Starts {@code tail args} on a thread of its own; interrupting that thread is the test's Ctrl-C. */
    private CompletableFuture<Integer> startTail(String... args) {
        TailExample command = Commands.parse(new TailExample(), args);
        Commands.Background running = Commands.start("test-tail", () -> command.run(out.stream(), err.writer()));
        tail = running;
        return running.exit();
    }

    private static Optional<URI> metricsUri(String printed) {
        Matcher m = METRICS_LINE.matcher(printed);
        return m.find() ? Optional.of(URI.create(m.group(1))) : Optional.empty();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape(URI uri) {
        try {
            HttpResponse<String> response = get(uri);
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("scrape of " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Returns the value of the sample {@code series} (name and labels, as Prometheus prints them), if present. */
    private static OptionalDouble value(String scrape, String series) {
        return scrape.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst();
    }
}
