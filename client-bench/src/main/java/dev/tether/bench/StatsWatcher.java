/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.ClientConfig;
import dev.tether.ClientStats;
import dev.tether.Connection;
import dev.tether.ConnectionStats;
import dev.tether.TetherClient;
import dev.tether.micrometer.TetherMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a Tether client's statistics on a thread of its own while a run's handler counts messages, as an application
 * beside it would: {@code stats()} of the client and of its connection every 100 ms, as a progress line does
 * ({@link Kind#STATS}), or a Prometheus registry bound with {@code TetherMetrics} and scraped every second
 * ({@link Kind#METRICS}). After the run, {@link #verify} holds the statistics to what the handler counted.
 */
final class StatsWatcher implements AutoCloseable {
    /** How often {@link Kind#STATS} reads {@code stats()}. */
    static final Duration STATS_PERIOD = Duration.ofMillis(100);
    /** How often {@link Kind#METRICS} scrapes its registry. */
    static final Duration SCRAPE_PERIOD = Duration.ofSeconds(1);

    /** What watches a run. */
    enum Kind {
        /** Nothing: the plain handler. */
        NONE,
        /** {@code client.stats()} and {@code connection.stats()} every {@link #STATS_PERIOD}. */
        STATS,
        /** {@code TetherMetrics} on a Prometheus registry, scraped every {@link #SCRAPE_PERIOD}. */
        METRICS
    }

    private final CountDownLatch stop = new CountDownLatch(1);
    private final PrometheusMeterRegistry registry; // METRICS only
    private Thread thread; // null: nothing to watch
    private volatile Connection<?> connection; // set by the runner's thread once connected
    private volatile String last = ""; // what the last look produced, so the reads cannot be optimised away
    private final AtomicInteger looks = new AtomicInteger();

    private StatsWatcher(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** Prepares the watching of a client built from {@code builder}: binds a new registry to it for METRICS. */
    static StatsWatcher prepare(Kind kind, ClientConfig.Builder<?> builder) {
        if (kind != Kind.METRICS) {
            return new StatsWatcher(null);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        builder.metrics(TetherMetrics.of(registry));
        return new StatsWatcher(registry);
    }

    /** Starts watching {@code client} on a daemon thread, unless {@code kind} is NONE. */
    StatsWatcher start(Kind kind, TetherClient<?> client) {
        Runnable look = switch (kind) {
            case NONE -> null;
            case STATS -> () -> last = progress(client.stats(), connection);
            case METRICS -> () -> last = registry.scrape();
        };
        if (look != null) {
            Duration period = kind == Kind.STATS ? STATS_PERIOD : SCRAPE_PERIOD;
            thread = new Thread(() -> watch(look, period), "bench-stats-watcher");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /** The connection whose own stats() the STATS watcher reads too. */
    void connected(Connection<?> connection) {
        this.connection = connection;
    }

    /** How many times it has read the statistics so far. */
    int looks() {
        return looks.get();
    }

    /** What its last look produced: a progress line or a scrape. */
    String last() {
        return last;
    }

    /** Stops the watching thread and waits for it, then closes the registry. */
    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        if (thread != null) {
            thread.join();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * Checks that the client's statistics ({@code counted}: {@code stats().messagesReceived()}) counted the messages
     * its handler did ({@code handled}), at the end of a run.
     *
     * @throws IllegalStateException if they differ
     */
    static void verify(String name, Workload workload, long handled, long counted) {
        if (counted != handled) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s on %s: stats() counted %d messages received, the handler %d",
                    name,
                    workload.label(),
                    counted,
                    handled));
        }
    }

    /** A progress line, such as an application logs: the client's counts, and its connection's. */
    static String progress(ClientStats client, Connection<?> connection) {
        String line = String.format(
                Locale.ROOT,
                "%s: %d messages, %d bytes in, %d open",
                client.clientName(),
                client.messagesReceived(),
                client.bytesReceived(),
                client.openConnections());
        if (connection == null) {
            return line;
        }
        ConnectionStats stats = connection.stats();
        return line
                + String.format(
                        Locale.ROOT,
                        "; %s %s: %d messages, %d dropped",
                        stats.connectionId(),
                        stats.state(),
                        stats.messagesReceived(),
                        stats.framesDropped());
    }

    private void watch(Runnable look, Duration period) {
        try {
            do {
                look.run();
                looks.incrementAndGet();
            } while (!stop.await(period.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
