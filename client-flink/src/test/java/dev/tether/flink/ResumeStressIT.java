/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.ClientConfig;
import dev.tether.Transport;
import dev.tether.reconnect.ReconnectPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A resumable reader against a feed that resets its connections at random points, many times on every transport
 * here: whatever the timing of the resets against the reads, every line arrives once and in order (issue 14).
 */
class ResumeStressIT {
    private static final int RUNS = 15;
    private static final int LINES = 5_000;
    private static final int RESETS = 3;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tether.testing.TransportsHere#all")
    @Timeout(120)
    void resetsAtRandomPointsLoseAndRepeatNothing(Transport transport) throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int run = 0; run < RUNS; run++) {
            int[] cuts = random.ints(RESETS, 1, LINES).sorted().toArray();
            String context = transport + " run " + run + " (seed " + seed + ", resets after lines " + cuts[0] + ", "
                    + cuts[1] + ", " + cuts[2] + ")";
            try (ReplayServer server = ReplayServer.start(
                    0,
                    LINES,
                    16,
                    i -> i < RESETS
                            ? new ReplayServer.Session(cuts[i], ReplayServer.End.RESET)
                            : new ReplayServer.Session(LINES, ReplayServer.End.CLOSE))) {
                TetherSourceReader<String, String> reader = new TetherSourceReader<>(
                        new TestingReaderContext(),
                        new ReaderSettings<>(
                                () -> ClientConfig.builder()
                                        .eventLoops(1, transport)
                                        .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(1))),
                                RecordDecoder.identity(),
                                true,
                                16,
                                ReplayServer::sequenceOf,
                                ReplayServer::resumeLine));
                RecordingOutput<String> output = new RecordingOutput<>();
                try {
                    reader.start();
                    reader.addSplits(List.of(new EndpointSplit(0, Endpoint.of(server.address()))));
                    reader.notifyNoMoreSplits();
                    RecordingOutput.pollToEnd(reader, output);
                } finally {
                    reader.close();
                }
                assertEquals(
                        IntStream.range(0, LINES).mapToObj(String::valueOf).toList(),
                        output.records().stream().map(ReplayServer::sequenceOf).toList(),
                        context);
                assertEquals(RESETS + 1, server.firstLines().size(), context + ": " + server.firstLines());
                assertEquals(List.of(), server.failures(), context);
            }
        }
    }
}
