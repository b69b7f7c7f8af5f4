/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.Stats.DisconnectCause;
import dev.tether.Stats.DropReason;
import dev.tether.TetherClient;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes: the contract's names, and a set of series that connections coming and going never grow. */
class PrometheusScrapeIT extends MetricsFixture {
    private static final int RECONNECTS = 1000;
    private static final Duration RECONNECTS_WAIT = Duration.ofSeconds(25); // inside the 30 s default timeout

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    PrometheusScrapeIT() {
        super("scrape", ReconnectPolicy.fixed(Duration.ZERO)); // at once: a thousand reconnects in a second or two
    }

    @Test
    void scrapeHasTheContractsNames() throws Exception {
        ScriptedServer server = scripted(Script.create().sendLines("hello").stall());
        TetherClient<String> client = client(
                config(server.port()).metrics(TetherMetrics.of(prometheus)).build());
        connect(client).send("hi").join();
        Await.until(() -> client.stats().messagesReceived() == 1, WAIT, "the line");

        Set<String> names = series(prometheus.scrape()).stream()
                .filter(line -> !line.startsWith("#"))
                .map(line -> line.replaceFirst("\\{.*", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(Set.of(
                "tether_connections_open",
                "tether_connects_total",
                "tether_reconnects_total",
                "tether_messages_received_total",
                "tether_messages_sent_total",
                "tether_bytes_received_total",
                "tether_bytes_sent_total",
                "tether_frames_dropped_total",
                "tether_inbox_messages",
                "tether_sends_buffered",
                "tether_last_message_received_time_seconds",
                "tether_connect_duration_seconds_count",
                "tether_connect_duration_seconds_sum",
                "tether_connect_duration_seconds_max",
                "tether_disconnects_total"));
        assertEquals(expected, names);
        String scrape = prometheus.scrape();
        assertTrue(
                scrape.contains("tether_messages_received_total{client=\"" + name + "\"} 1.0"),
                "the count:\n" + scrape);
        assertTrue(
                scrape.contains("tether_bytes_sent_total{client=\"" + name + "\"} 3.0"),
                "hi and its newline:\n" + scrape);
        double lastMessage = prometheus
                .get("tether.last.message.received.time")
                .timeGauge()
                .value(java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(
                client.stats().lastMessageReceivedAt().orElseThrow().toEpochMilli(),
                (long) lastMessage,
                "the time of the last message, as stats() has it");
    }

    @Test
    void aThousandReconnectsAddNoSeries() throws Exception {
        ScriptedServer server = scripted(Script.create().reset()); // every connection, at once
        TetherClient<String> client = client(config(server.port())
                .metrics(TetherMetrics.of(prometheus))
                .retryInitialConnect(true)
                .build());
        connect(client);
        Set<Meter.Id> meters = meterIds();
        Set<String> series = series(prometheus.scrape());

        // two to four seconds alone, more on a machine that runs other builds: a thread per connection on the server
        Await.until(() -> client.stats().reconnects() >= RECONNECTS, RECONNECTS_WAIT, RECONNECTS + " reconnects");
        assertEquals(meters, meterIds());
        assertEquals(series, series(prometheus.scrape()));
        assertTrue(server.acceptedCount() > RECONNECTS, server.toString());
        double reconnects = prometheus
                .get("tether.reconnects")
                .tag("client", name)
                .functionCounter()
                .count();
        assertTrue(reconnects >= RECONNECTS, "counted " + reconnects);
        assertBoundedTags(meters);

        client.close();
        assertEquals(meters, meterIds(), "closing adds or removes nothing either");
        assertEquals(series, series(prometheus.scrape()));
    }

    private Set<Meter.Id> meterIds() {
        return prometheus.getMeters().stream().map(Meter::getId).collect(Collectors.toSet());
    }

    /** Every tag is the client's name, or a value from a fixed set: nothing names a connection, port or address. */
    private void assertBoundedTags(Set<Meter.Id> meters) {
        Map<String, Set<String>> allowed = Map.of(
                "client", Set.of(name),
                "outcome", Set.of("success", "failure"),
                "reason",
                        Arrays.stream(DropReason.values()).map(DropReason::tag).collect(Collectors.toSet()),
                "cause",
                        Arrays.stream(DisconnectCause.values())
                                .map(DisconnectCause::tag)
                                .collect(Collectors.toSet()));
        for (Meter.Id id : meters) {
            for (Tag tag : id.getTagsAsIterable()) {
                assertTrue(
                        allowed.getOrDefault(tag.getKey(), Set.of()).contains(tag.getValue()),
                        "an unbounded tag " + tag + " on " + id);
            }
        }
    }

    /** The scrape's lines with their values cut off: names, labels, and the HELP and TYPE comments. */
    private static Set<String> series(String scrape) {
        return scrape.lines()
                .filter(line -> !line.isBlank())
                .map(line -> line.startsWith("#") ? line : line.substring(0, line.lastIndexOf(' ')))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
