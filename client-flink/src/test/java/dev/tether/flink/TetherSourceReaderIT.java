/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
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
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.core.io.InputStatus;
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
            TetherSourceReader<String> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    () -> ClientConfig.builder().inboxCapacity(INBOX),
                    line -> line,
                    true,
                    WINDOW);
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
                assertTrue(server.connection(0).closedAt().isPresent());
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
            TetherSourceReader<String> reader = boundedReader();
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
        TetherSourceReader<String> reader = boundedReader();
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

    private static TetherSourceReader<String> boundedReader() {
        return new TetherSourceReader<>(new TestingReaderContext(), ClientConfig::builder, line -> line, true, WINDOW);
    }

    private static void pollToEnd(TetherSourceReader<String> reader, ReaderOutput<String> output) throws Exception {
        InputStatus status;
        do {
            status = reader.pollNext(output);
            if (status == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get();
            }
        } while (status != InputStatus.END_OF_INPUT);
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
