/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static dev.tether.flink.RecordingOutput.pollToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reader's resume hook, the bounded end riding out a broken connection, split outputs and a {@code
 * DeserializationSchema}, outside Flink, against in-JVM servers (issue 14).
 */
@Timeout(60)
class TetherSourceReaderResumeIT {
    private static final int WINDOW = 16;
    private static final SerializableSupplier<ClientConfig.Builder<String>> QUICK_RECONNECT =
            () -> ClientConfig.builder().reconnect(ReconnectPolicy.fixed(Duration.ofMillis(10)));

    @Test
    void aResetMidStreamIsRiddenOutAndTheReconnectAsksForWhatFollowsTheLastLineReceived() throws Exception {
        int total = 20_000;
        // the first connection resets after 8,000 lines (an abortive close drops what the server had not sent yet);
        // the second serves the rest from where the client asks, and closes cleanly: the bounded end
        try (ReplayServer server = ReplayServer.start(
                0,
                total,
                8,
                i -> i == 0
                        ? new ReplayServer.Session(8_000, ReplayServer.End.RESET)
                        : new ReplayServer.Session(total, ReplayServer.End.CLOSE))) {
            TetherSourceReader<String, String> reader = resumable(QUICK_RECONNECT, true);
            try {
                RecordingOutput<String> output = readToEnd(reader, new EndpointSplit(0, Endpoint.of(server.address())));

                List<String> sequence =
                        output.records().stream().map(ReplayServer::sequenceOf).toList();
                assertEquals(
                        IntStream.range(0, total).mapToObj(String::valueOf).toList(),
                        sequence,
                        "every line once, in order");
                List<String> firstLines = server.firstLines();
                assertEquals(2, firstLines.size(), "connections: " + firstLines);
                assertEquals("START", firstLines.get(0));
                assertTrue(firstLines.get(1).startsWith("FROM "), firstLines.get(1));
                assertEquals(List.of(), server.failures());
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void withReconnectDisabledABoundedReaderFailsOnAResetNamingTheEndpoint() throws Exception {
        try (ReplayServer server =
                ReplayServer.start(0, 100, 0, i -> new ReplayServer.Session(50, ReplayServer.End.RESET))) {
            TetherSourceReader<String, String> reader =
                    resumable(() -> ClientConfig.builder().reconnect(ReconnectPolicy.disabled()), true);
            try {
                Endpoint endpoint = Endpoint.of(server.address());
                Exception e = assertThrows(Exception.class, () -> readToEnd(reader, new EndpointSplit(0, endpoint)));
                assertTrue(
                        e.getMessage().startsWith("Tether source: endpoint " + endpoint + " (split 0@"),
                        e.getMessage());
                assertEquals(List.of("START"), server.firstLines(), "no reconnect");
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aResumeLineThatThrowsFailsTheReaderInsteadOfReconnectingForever() throws Exception {
        try (ReplayServer server =
                ReplayServer.start(0, 10, 0, i -> new ReplayServer.Session(10, ReplayServer.End.CLOSE))) {
            TetherSourceReader<String, String> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(
                            QUICK_RECONNECT,
                            RecordDecoder.identity(),
                            true,
                            WINDOW,
                            ReplayServer::sequenceOf,
                            (endpoint, position) -> {
                                throw new IllegalArgumentException("no line for you");
                            }));
            try {
                Endpoint endpoint = Endpoint.of(server.address());
                Exception e = assertThrows(Exception.class, () -> readToEnd(reader, new EndpointSplit(0, endpoint)));
                assertTrue(e.getMessage().contains("the resume line threw for endpoint " + endpoint), e.getMessage());
                assertTrue(e.getMessage().contains("no line for you"), e.getMessage());
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void inBoundedModeACleanCloseBeforeTheHookFinishedIsRiddenOutNotTheEnd() throws Exception {
        // the first connection's own hook (a login, say) never finishes, and the server closes it cleanly: a server
        // turning the client away, not the end of the stream
        AtomicInteger hooks = new AtomicInteger();
        try (ReplayServer server = ReplayServer.start(
                0,
                100,
                0,
                i -> i == 0
                        ? new ReplayServer.Session(0, ReplayServer.End.REFUSE)
                        : new ReplayServer.Session(100, ReplayServer.End.CLOSE))) {
            TetherSourceReader<String, String> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(
                            () -> ClientConfig.builder()
                                    .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(10)))
                                    .onConnect(connection -> hooks.getAndIncrement() == 0
                                            ? new CompletableFuture<>()
                                            : CompletableFuture.completedFuture(null)),
                            RecordDecoder.identity(),
                            true,
                            WINDOW,
                            null,
                            null));
            try {
                RecordingOutput<String> output = readToEnd(
                        reader,
                        new EndpointSplit(0, Endpoint.of(server.address()).withOnConnect("START")));
                assertEquals(IntStream.range(0, 100).mapToObj(String::valueOf).toList(), output.records());
                assertEquals(List.of("START"), server.firstLines(), "the refused connection read nothing");
                assertEquals(2, hooks.get(), "hooks run");
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aRestoredSplitResumesFromItsPositionOnItsFirstConnect() throws Exception {
        try (ReplayServer server =
                ReplayServer.start(0, 100, 0, i -> new ReplayServer.Session(100, ReplayServer.End.CLOSE))) {
            TetherSourceReader<String, String> reader = resumable(ClientConfig::builder, true);
            try {
                // as Flink restores: the checkpointed splits come before start
                reader.addSplits(List.of(new EndpointSplit(0, Endpoint.of(server.address())).withPosition("41")));
                reader.start();
                reader.notifyNoMoreSplits();
                RecordingOutput<String> output = new RecordingOutput<>();
                pollToEnd(reader, output);

                assertEquals(List.of("FROM 41"), server.firstLines());
                assertEquals(IntStream.range(42, 100).mapToObj(String::valueOf).toList(), output.records());
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aCheckpointHoldsThePositionOfTheLastLineEmittedNotOfTheLastReceived() throws Exception {
        try (ReplayServer server =
                ReplayServer.start(0, 1_000, 0, i -> new ReplayServer.Session(1_000, ReplayServer.End.STALL))) {
            TetherSourceReader<String, String> reader = resumable(ClientConfig::builder, false);
            try {
                reader.start();
                EndpointSplit split = new EndpointSplit(0, Endpoint.of(server.address()));
                reader.addSplits(List.of(split));
                assertEquals(List.of(split), reader.snapshotState(1), "nothing emitted: no position");

                // the window and the inbox fill up while nobody polls; then one poll emits a handful
                Await.until(() -> reader.waiting() == WINDOW, Duration.ofSeconds(10), "the window handed over");
                RecordingOutput<String> output = new RecordingOutput<>();
                reader.pollNext(output);
                int emitted = output.records().size();
                // taking messages gives the publisher more demand, so a poll may find more than the first window
                assertTrue(emitted > 0 && emitted <= TetherSourceReader.MAX_RECORDS_PER_POLL, "emitted " + emitted);

                assertEquals(
                        List.of(split.withPosition(String.valueOf(emitted - 1))),
                        reader.snapshotState(2),
                        "the position of the last line emitted");
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void thePositionIsReadBeforeEmittingCanChangeTheFrame() throws Exception {
        // with object reuse, a chained operator may change an emitted byte[] in place; this schema does it itself
        DeserializationSchema<Integer> scribbling = new AbstractDeserializationSchema<>() {
            @Override
            public Integer deserialize(byte[] frame) {
                int length = frame.length;
                Arrays.fill(frame, (byte) 'x');
                return length;
            }
        };
        Script script = Script.create().sendFrame(4, "7").sendFrame(4, "8").stall();
        try (ScriptedServer server = ScriptedServer.start(script)) {
            SerializableFunction<byte[], String> position = frame -> new String(frame, StandardCharsets.US_ASCII);
            TetherSourceReader<byte[], Integer> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(
                            () -> ClientConfig.builder(Codec.bytes()).framing(Framing.lengthField(4, 1024)),
                            RecordDecoder.of(scribbling),
                            false,
                            WINDOW,
                            position,
                            (endpoint, at) -> null));
            try {
                reader.start();
                EndpointSplit split = new EndpointSplit(0, Endpoint.of(server.address()));
                reader.addSplits(List.of(split));
                RecordingOutput<Integer> output = new RecordingOutput<>();
                while (output.records().size() < 2) {
                    if (reader.pollNext(output) == InputStatus.NOTHING_AVAILABLE
                            && output.records().size() < 2) {
                        reader.isAvailable().get();
                    }
                }
                assertEquals(List.of(1, 1), output.records());
                assertEquals(List.of(split.withPosition("8")), reader.snapshotState(1));
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aPositionFunctionThatThrowsFailsTheReaderNamingTheEndpoint() throws Exception {
        try (ReplayServer server =
                ReplayServer.start(0, 10, 0, i -> new ReplayServer.Session(10, ReplayServer.End.CLOSE))) {
            TetherSourceReader<String, String> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(
                            ClientConfig::builder,
                            RecordDecoder.identity(),
                            true,
                            WINDOW,
                            line -> {
                                throw new IllegalArgumentException("not a position: " + line);
                            },
                            ReplayServer::resumeLine));
            try {
                Endpoint endpoint = Endpoint.of(server.address());
                Exception e = assertThrows(Exception.class, () -> readToEnd(reader, new EndpointSplit(0, endpoint)));
                assertTrue(e.getMessage().contains("endpoint " + endpoint), e.getMessage());
                assertTrue(e.getMessage().contains("not a position: 0"), e.getMessage());
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aDeserializerWithEndpointKnowsWhereEachLineCameFrom() throws Exception {
        try (ScriptedServer a =
                        ScriptedServer.start(Script.create().sendLines("x", "y").close());
                ScriptedServer b =
                        ScriptedServer.start(Script.create().sendLines("z").close())) {
            TetherSourceReader<String, String> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(
                            ClientConfig::builder,
                            RecordDecoder.of((Endpoint endpoint, String line) -> endpoint.address() + " " + line),
                            true,
                            WINDOW,
                            null,
                            null));
            EndpointSplit splitA = new EndpointSplit(0, Endpoint.of(a.address()));
            EndpointSplit splitB = new EndpointSplit(1, Endpoint.of(b.address()));
            try {
                RecordingOutput<String> output = readToEnd(reader, splitA, splitB);
                String addressA = Endpoint.of(a.address()).address();
                String addressB = Endpoint.of(b.address()).address();
                assertEquals(List.of(addressA + " x", addressA + " y"), output.recordsOf(splitA.splitId()));
                assertEquals(List.of(addressB + " z"), output.recordsOf(splitB.splitId()));
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void eachSplitEmitsThroughItsOwnOutputMadeBeforeAnyRecordAndReleasedAtItsEnd() throws Exception {
        try (ScriptedServer a = ScriptedServer.start(
                        Script.create().sendLines("a0", "a1").close());
                ScriptedServer b = ScriptedServer.start(
                        Script.create().sendLines("b0", "b1", "b2").close())) {
            TetherSourceReader<String, String> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(ClientConfig::builder, RecordDecoder.identity(), true, WINDOW, null, null));
            try {
                EndpointSplit splitA = new EndpointSplit(0, Endpoint.of(a.address()));
                EndpointSplit splitB = new EndpointSplit(1, Endpoint.of(b.address()));
                RecordingOutput<String> output = readToEnd(reader, splitA, splitB);

                assertEquals(List.of("a0", "a1"), output.recordsOf(splitA.splitId()));
                assertEquals(List.of("b0", "b1", "b2"), output.recordsOf(splitB.splitId()));
                assertEquals(List.of(), output.recordsOf(null), "nothing through the reader's own output");
                List<String> events = output.events;
                assertEquals(
                        List.of("create " + splitA.splitId(), "create " + splitB.splitId()),
                        events.subList(0, 2),
                        "both outputs before any record: " + events);
                assertTrue(events.contains("release " + splitA.splitId()), events.toString());
                assertTrue(events.contains("release " + splitB.splitId()), events.toString());
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aDeserializationSchemaGetsBinaryFramesMakesAnyNumberOfRecordsAndCanEndTheSplit() throws Exception {
        Script script = Script.create()
                .sendFrame(4, new byte[] {1, 2, (byte) 0xff})
                .sendFrame(4, new byte[] {})
                .sendFrame(4, new byte[] {7})
                .sendFrame(4, "END".getBytes(StandardCharsets.US_ASCII))
                .sendFrame(4, new byte[] {9}) // after the end: never emitted
                .stall(); // the server never closes: the schema ends the split
        try (ScriptedServer server = ScriptedServer.start(script)) {
            ByteValues schema = new ByteValues();
            TetherSourceReader<byte[], Integer> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(
                            () -> ClientConfig.builder(Codec.bytes()).framing(Framing.lengthField(4, 1024)),
                            RecordDecoder.of(schema),
                            false,
                            WINDOW,
                            null,
                            null));
            try {
                reader.start();
                assertEquals(1, ByteValues.OPENED.get(), "the schema is opened at start");
                reader.addSplits(List.of(new EndpointSplit(0, Endpoint.of(server.address()))));
                reader.notifyNoMoreSplits();
                RecordingOutput<Integer> output = new RecordingOutput<>();
                pollToEnd(reader, output);
                assertEquals(List.of(1, 2, 255, 7), output.records(), "one record per byte, unsigned");
                Await.until(
                        () -> server.connection(0).receivedEndOfStream(),
                        Duration.ofSeconds(5),
                        "the client to close the ended split's connection");
            } finally {
                reader.close();
            }
        }
    }

    @Test
    void aTextFrameReachesASchemaAsItsBytesInTheCodecsCharset() throws Exception {
        try (ScriptedServer server =
                ScriptedServer.start(Script.create().sendLines("héllo").close())) {
            DeserializationSchema<String> latin1 = new AbstractDeserializationSchema<>() {
                @Override
                public String deserialize(byte[] message) {
                    return message.length + ":" + new String(message, StandardCharsets.ISO_8859_1);
                }
            };
            TetherSourceReader<String, String> reader = new TetherSourceReader<>(
                    new TestingReaderContext(),
                    new ReaderSettings<>(
                            () -> ClientConfig.builder(Codec.text(StandardCharsets.ISO_8859_1)),
                            RecordDecoder.of(latin1),
                            true,
                            WINDOW,
                            null,
                            null));
            try {
                RecordingOutput<String> output = readToEnd(reader, new EndpointSplit(0, Endpoint.of(server.address())));
                // the server wrote UTF-8 (6 bytes); a Latin-1 codec made 6 characters, and they go back as 6 bytes
                assertEquals(List.of("6:h\u00c3\u00a9llo"), output.records());
            } finally {
                reader.close();
            }
        }
    }

    /** Each byte of a frame as a record; a frame {@code END} ends the stream. */
    private static final class ByteValues implements DeserializationSchema<Integer> {
        static final AtomicInteger OPENED = new AtomicInteger();

        @Override
        public void open(InitializationContext context) {
            OPENED.incrementAndGet();
        }

        @Override
        public Integer deserialize(byte[] message) {
            throw new UnsupportedOperationException("the reader uses the collector form");
        }

        @Override
        public void deserialize(byte[] message, Collector<Integer> out) {
            if (new String(message, StandardCharsets.US_ASCII).equals("END")) {
                out.collect(-1);
                return;
            }
            for (byte b : message) {
                out.collect(b & 0xff);
            }
        }

        @Override
        public boolean isEndOfStream(Integer next) {
            return next == -1;
        }

        @Override
        public TypeInformation<Integer> getProducedType() {
            return Types.INT;
        }
    }

    /** Starts the reader with {@code splits} and no more to come, and polls it to its end. */
    private static <T> RecordingOutput<T> readToEnd(TetherSourceReader<?, T> reader, EndpointSplit... splits)
            throws Exception {
        reader.start();
        reader.addSplits(List.of(splits));
        reader.notifyNoMoreSplits();
        RecordingOutput<T> output = new RecordingOutput<>();
        pollToEnd(reader, output);
        return output;
    }

    private static TetherSourceReader<String, String> resumable(
            SerializableSupplier<ClientConfig.Builder<String>> template, boolean bounded) {
        SerializableFunction<String, String> position = ReplayServer::sequenceOf;
        return new TetherSourceReader<>(
                new TestingReaderContext(),
                new ReaderSettings<>(
                        template, RecordDecoder.identity(), bounded, WINDOW, position, ReplayServer::resumeLine));
    }
}
