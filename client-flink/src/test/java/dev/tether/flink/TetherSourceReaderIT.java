/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static dev.tether.flink.RecordingOutput.pollToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.util.function.SerializableSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reader alone, outside Flink: backpressure down to the socket, the bounded end, and a clean close (issue 14). */
class TetherSourceReaderIT {
    private static final int WINDOW = 16;
    private static final int INBOX = 256;
    // ~23 MB: more than the loopback socket buffers on both sides can hold, so the server must block
    private static final int LINES = 300_000;

    @Test
    @Timeout(60)
    void whileFlinkDoesNotPollTheServerBlocksThenEveryLineArrivesOnce() throws Exception {
        String padding = "x".repeat(64);
        String[] lines = new String[LINES];
        for (int i = 0; i < LINES; i++) {
            lines[i] = i + " " + padding;
        }
        try (ScriptedServer server =
                ScriptedServer.start(Script.create().sendLines(lines).close())) {
            TetherSourceReader<String, String> reader = reader(
                    new TestingReaderContext(), () -> ClientConfig.builder().inboxCapacity(INBOX), true);
            try {
                reader.start();
                reader.addSplits(List.of(new EndpointSplit(0, Endpoint.of(server.address()))));
                reader.notifyNoMoreSplits();

                // nobody polls: the reader takes its window (plus the no-more-splits wake-up), the rest fills
                // Tether's inbox, and a full inbox stops the reads
                Await.until(() -> reader.inboxMessages() >= INBOX, Duration.ofSeconds(10), "Tether's inbox to fill");
                assertEquals(WINDOW + 1, reader.waiting(), "items taken ahead of Flink");
                // with reads stopped, what the server wrote fits in the socket buffers, far short of the whole
                assertFalse(
                        server.connection(0).closedAt().isPresent(), "the server finished writing: no backpressure");

                CountingOutput output = new CountingOutput();
                pollToEnd(reader, output);

                assertEquals(LINES, output.count);
                assertEquals(LINES - 1 + " " + padding, output.last);
                // the kit records the close just after its socket closed, so the end may be seen first
                Await.until(
                        () -> server.connection(0).closedAt().isPresent(),
                        Duration.ofSeconds(5),
                        "the server to record its close");
                assertEquals(List.of(), reader.snapshotState(1), "a finished split leaves the reader's state");
            } finally {
                reader.close();
            }
            Await.until(
                    () -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.isAlive() && t.getName().startsWith("tether-flink-0")),
                    Duration.ofSeconds(5),
                    "the reader's threads to end");
        }
    }

    @Test
    void theEndpointsLineGoesFirstOnConnect() throws Exception {
        Script script =
                Script.create().expectLine("SUBSCRIBE a").sendLines("a1", "a2").close();
        try (ScriptedServer server = ScriptedServer.start(script)) {
            TetherSourceReader<String, String> reader = boundedReader();
            try {
                reader.start();
                reader.addSplits(List.of(
                        new EndpointSplit(0, Endpoint.of(server.address()).withOnConnect("SUBSCRIBE a"))));
                reader.notifyNoMoreSplits();
                CountingOutput output = new CountingOutput();
                pollToEnd(reader, output);
                assertEquals(List.of("a1", "a2"), output.records);
            } finally {
                reader.close();
            }
            server.assertNoFailures();
        }
    }

    @Test
    void aRefusedEndpointFailsThePollNamingIt() throws Exception {
        InetSocketAddress closed;
        try (ScriptedServer server = ScriptedServer.start(Script.create().close())) {
            closed = server.address();
        }
        TetherSourceReader<String, String> reader = boundedReader();
        try {
            reader.start();
            reader.addSplits(List.of(new EndpointSplit(3, Endpoint.of(closed))));
            IOException e = assertThrows(IOException.class, () -> pollToEnd(reader, new CountingOutput()));
            String expected = "Tether source: endpoint " + Endpoint.of(closed) + " (split 3@" + Endpoint.of(closed)
                    + ") failed: ";
            assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        } finally {
            reader.close();
        }
    }

    @Test
    @Timeout(30)
    void theMetricGroupCountsMessagesAndBytesOfOpenAndFinishedSplits() throws Exception {
        MetricListener listener = new MetricListener();
        TestingReaderContext context = new TestingReaderContext(
                new Configuration(), InternalSourceReaderMetricGroup.mock(listener.getMetricGroup()));
        try (ScriptedServer a = ScriptedServer.start(
                        Script.create().sendLines("a1", "a2", "a3").close());
                ScriptedServer b = ScriptedServer.start(
                        Script.create().sendLines("bbb1", "bbb2").close())) {
            TetherSourceReader<String, String> reader = reader(context, ClientConfig::builder, true);
            try {
                reader.start();
                Gauge<Long> messages = gauge(listener, "messagesReceived");
                Gauge<Long> bytes = gauge(listener, "bytesReceived");
                Gauge<Long> reconnects = gauge(listener, "reconnects");
                Gauge<Long> inbox = gauge(listener, "inboxMessages");
                assertEquals(0L, messages.getValue());

                reader.addSplits(List.of(
                        new EndpointSplit(0, Endpoint.of(a.address())),
                        new EndpointSplit(1, Endpoint.of(b.address()))));
                reader.notifyNoMoreSplits();
                // "a1\n" is 3 bytes, "bbb1\n" 5: 3 * 3 + 2 * 5; counted while the splits are open, nothing polled
                Await.until(() -> messages.getValue() == 5, Duration.ofSeconds(10), "5 messages counted");
                Await.until(() -> bytes.getValue() == 19, Duration.ofSeconds(10), "19 bytes counted");

                CountingOutput output = new CountingOutput();
                pollToEnd(reader, output);
                assertEquals(
                        List.of("a1", "a2", "a3", "bbb1", "bbb2"),
                        output.records.stream().sorted().toList());
                assertEquals(List.of(), reader.snapshotState(1));
                // both splits finished: their counts stay in the totals
                assertEquals(5L, messages.getValue());
                assertEquals(19L, bytes.getValue());
                assertEquals(0L, reconnects.getValue());
                assertEquals(0L, inbox.getValue());
            } finally {
                reader.close();
            }
        }
    }

    @Test
    @Timeout(30)
    void reconnectsAndInboxDepthAreCounted() throws Exception {
        MetricListener listener = new MetricListener();
        TestingReaderContext context = new TestingReaderContext(
                new Configuration(), InternalSourceReaderMetricGroup.mock(listener.getMetricGroup()));
        // the first connection sends one line and closes; the client reconnects and gets 40 more, more than the window
        String[] many = new String[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = "m" + i;
        }
        try (ScriptedServer server = ScriptedServer.start(
                List.of(Script.create().sendLines("first").close()),
                Script.create().sendLines(many).stall())) {
            TetherSourceReader<String, String> reader = reader(
                    context,
                    () -> ClientConfig.builder().reconnect(ReconnectPolicy.fixed(Duration.ofMillis(10))),
                    false);
            try {
                reader.start();
                reader.addSplits(List.of(new EndpointSplit(0, Endpoint.of(server.address()))));
                Gauge<Long> messages = gauge(listener, "messagesReceived");
                Await.until(() -> messages.getValue() == 41, Duration.ofSeconds(10), "41 messages counted");
                Await.until(() -> gauge(listener, "reconnects").getValue() == 1, Duration.ofSeconds(10), "a reconnect");
                // nothing polled: the window went to the handover, the rest waits in the inbox (which Tether counts
                // a socket read's batch at a time, so the depth is only bounded here, not exact)
                Await.until(() -> reader.waiting() == WINDOW, Duration.ofSeconds(10), "the window handed over");
                Gauge<Long> inbox = gauge(listener, "inboxMessages");
                long waiting = inbox.getValue();
                assertTrue(waiting >= 41 - WINDOW && waiting <= 41, "inbox depth " + waiting);
                assertEquals(reader.inboxMessages(), waiting);

                CountingOutput output = new CountingOutput();
                while (output.count < 41) {
                    if (reader.pollNext(output) == InputStatus.NOTHING_AVAILABLE && output.count < 41) {
                        reader.isAvailable().get();
                    }
                }
                assertEquals("first", output.records.get(0));
                Await.until(() -> inbox.getValue() == 0, Duration.ofSeconds(10), "the inbox to empty");
                assertEquals(41L, messages.getValue());
                assertEquals(1L, gauge(listener, "reconnects").getValue());
            } finally {
                reader.close();
            }
        }
    }

    private static Gauge<Long> gauge(MetricListener listener, String name) {
        return listener.<Long>getGauge(ReaderMetrics.GROUP, name)
                .orElseThrow(() -> new AssertionError("no gauge tether." + name));
    }

    private static TetherSourceReader<String, String> boundedReader() {
        return reader(new TestingReaderContext(), ClientConfig::builder, true);
    }

    private static TetherSourceReader<String, String> reader(
            TestingReaderContext context,
            SerializableSupplier<ClientConfig.Builder<String>> template,
            boolean bounded) {
        return new TetherSourceReader<>(
                context, new ReaderSettings<>(template, RecordDecoder.identity(), bounded, WINDOW, null, null));
    }

    /** Counts what the reader emits and keeps the first few records; checks the order of numbered lines. */
    private static final class CountingOutput implements ReaderOutput<String> {
        final List<String> records = new ArrayList<>();
        int count;
        String last;

        @Override
        public void collect(String record) {
            if (Character.isDigit(record.charAt(0)) && !record.startsWith(count + " ")) {
                throw new AssertionError("expected line " + count + ", got " + record);
            }
            if (records.size() < 100) {
                records.add(record);
            }
            count++;
            last = record;
        }

        @Override
        public void collect(String record, long timestamp) {
            collect(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<String> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
