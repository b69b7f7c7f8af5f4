/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.micrometer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.ConnectionListener;
import dev.tether.Stats;
import dev.tether.Stats.DropReason;
import dev.tether.TetherClient;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Counters against known feeds: every message and byte both ways, and dropped frames by reason. */
class TrafficCountsIT extends MetricsFixture {
    private static final int LINES_IN = 100; // "line-000\n": 9 bytes each
    private static final int MESSAGES_OUT = 25; // "msg-00\n": 7 bytes each

    TrafficCountsIT() {
        super("traffic", ReconnectPolicy.disabled());
    }

    @Test
    void countsEveryMessageAndByteBothWays() throws Exception {
        String[] feed = IntStream.range(0, LINES_IN)
                .mapToObj(i -> String.format("line-%03d", i))
                .toArray(String[]::new);
        ScriptedServer server = scripted(Script.create().sendLines(feed).stall());
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        TetherClient<String> client = client(metered(server.port())
                .handler((connection, message) -> handled.add(message))
                .build());
        Connection<String> connection = connect(client);
        for (int i = 0; i < MESSAGES_OUT; i++) {
            connection.send(String.format("msg-%02d", i)).join(); // complete once written, and counted
        }
        server.awaitLines(0, MESSAGES_OUT, WAIT);
        Await.until(() -> handled.size() == LINES_IN, WAIT, LINES_IN + " lines handled");
        Await.until(() -> client.stats().messagesReceived() == LINES_IN, WAIT, "the received count");

        Traffic expected = new Traffic(LINES_IN, LINES_IN * 9L, MESSAGES_OUT, MESSAGES_OUT * 7L);
        assertEquals(server.connection(0).receivedBytes().length, expected.bytesSent(), "what the server read");
        assertEquals(expected, Traffic.of(client.stats()));
        assertEquals(expected, Traffic.of(connection.stats()));
        assertEquals(expected, registryTraffic());
        assertEquals(1.0, count("tether.connects", "outcome", "success"));
        assertEquals(0.0, count("tether.reconnects"));

        client.close(); // the counts of a closed client stay
        assertEquals(expected, registryTraffic());
        assertEquals(expected, Traffic.of(client.stats()));
    }

    @Test
    void countsFramesTooLongByReason() throws Exception {
        ScriptedServer server = scripted(Script.create()
                .send("x".repeat(40) + "\n") // over the 16-byte limit: dropped, the stream goes on
                .sendLines("first")
                .send("y".repeat(100) + "\n")
                .sendLines("second")
                .stall());
        TetherClient<String> client =
                client(metered(server.port()).framing(Framing.lines(16)).build());
        Connection<String> connection = connect(client);
        assertEquals(List.of("first", "second"), List.of(receive(connection), receive(connection)));
        Await.until(() -> client.stats().framesDropped() == 2, WAIT, "two frames dropped");

        assertDropped(client.stats(), 2, 0);
        assertDropped(connection.stats(), 2, 0);
        assertEquals(2.0, count("tether.frames.dropped", "reason", "too_long"));
        assertEquals(0.0, count("tether.frames.dropped", "reason", "malformed"));
        assertEquals(2.0, count("tether.messages.received"), "dropped frames are not messages");
        assertEquals(41.0 + 6 + 101 + 7, count("tether.bytes.received"), "dropped frames' bytes are read all the same");
        assertEquals(0.0, count("tether.disconnects", "cause", "protocol_error"), "the connection stayed up");
    }

    @Test
    void countsMalformedTextByReason() throws Exception {
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        bad.write(new byte[] {'a', (byte) 0xC3, '(', '\n'}); // 0xC3 starts a two-byte sequence that '(' cannot end
        bad.write(new byte[] {(byte) 0xFF, '\n'}); // never valid in UTF-8
        ScriptedServer server = scripted(Script.create()
                .send(bad.toByteArray())
                .sendLines("fine", "caf\u00e9") // é: two bytes, valid
                .stall());
        TetherClient<String> client = client(config(ClientConfig.builder(Codec.strictText(UTF_8)), server.port())
                .metrics(metrics)
                .build());
        Connection<String> connection = connect(client);
        assertEquals(List.of("fine", "caf\u00e9"), List.of(receive(connection), receive(connection)));
        Await.until(() -> client.stats().framesDropped() == 2, WAIT, "two frames dropped");

        assertDropped(client.stats(), 0, 2);
        assertDropped(connection.stats(), 0, 2);
        assertEquals(2.0, count("tether.frames.dropped", "reason", "malformed"));
        assertEquals(0.0, count("tether.frames.dropped", "reason", "too_long"));
        assertEquals(2.0, count("tether.messages.received"));
        assertEquals(4.0 + 2 + 5 + 6, count("tether.bytes.received"));
    }

    @Test
    void clientsOfOneNameShareTheirMetersAndCountsNeverGoDown() throws Exception {
        String[] feed = {"alpha", "beta", "gamma"}; // 6 + 5 + 6 bytes
        ScriptedServer server = scripted(Script.create().sendLines(feed).stall());
        ClientConfig<String> config = metered(server.port()).build();
        TetherClient<String> first = client(config);
        TetherClient<String> second = client(config); // the same name, the same recorder
        Connection<String> one = connect(first);
        Connection<String> two = connect(second);
        one.send("from-1").join();
        two.send("from-2").join();
        two.send("again").join();
        Await.until(
                () -> first.stats().messagesReceived() == 3 && second.stats().messagesReceived() == 3,
                WAIT,
                "three lines on each client");

        Traffic both = new Traffic(6, 34, 3, 7 + 7 + 6);
        assertEquals(both, registryTraffic());
        assertEquals(2.0, gauge("tether.connections.open"));
        assertEquals(2.0, count("tether.connects", "outcome", "success"));
        assertEquals(1, registry.find("tether.messages.received").meters().size(), "one series for both");

        first.close();
        assertEquals(both, registryTraffic(), "the closed client's counts stay");
        assertEquals(1.0, gauge("tether.connections.open"));
        assertEquals(1.0, count("tether.disconnects", "cause", "application"));
        second.close();
        assertEquals(both, registryTraffic());
        assertEquals(0.0, gauge("tether.connections.open"));
        assertEquals(2.0, count("tether.disconnects", "cause", "application"));
        assertEquals(2.0, count("tether.connects", "outcome", "success"));
    }

    @Test
    void countsOfAClosedClientOutliveItAndItsRecorder() throws Exception {
        ScriptedServer server = scripted(Script.create().sendLines("one", "two").stall());
        WeakReference<TetherClient<String>> forgotten = runAndForget(server.port());
        Await.until(
                () -> {
                    System.gc(); // no other way to see what a collected recorder does to the counts
                    return forgotten.get() == null;
                },
                WAIT,
                "the closed client, its config and recorder collected");
        assertEquals(2.0, count("tether.messages.received"), "the counts of a client that is gone");
    }

    /** Runs a client whose recorder nothing else holds, as in {@code .metrics(TetherMetrics.of(registry))}. */
    private WeakReference<TetherClient<String>> runAndForget(int port) throws Exception {
        TetherClient<String> client = TetherClient.create(config(port)
                .listener(new ConnectionListener() {}) // the fixture's would keep the connection, and so the config
                .metrics(TetherMetrics.of(registry))
                .build());
        try (client) {
            connect(client);
            Await.until(() -> client.stats().messagesReceived() == 2, WAIT, "two lines");
        }
        return new WeakReference<>(client); // no scrape yet: Micrometer would keep the last value it read
    }

    private Traffic registryTraffic() {
        return new Traffic(
                (long) count("tether.messages.received"),
                (long) count("tether.bytes.received"),
                (long) count("tether.messages.sent"),
                (long) count("tether.bytes.sent"));
    }

    private static String receive(Connection<String> connection) throws InterruptedException {
        return connection.receive(WAIT).orElseThrow();
    }

    private static void assertDropped(Stats stats, long tooLong, long malformed) {
        assertEquals(tooLong, stats.framesDropped(DropReason.TOO_LONG), "too long, in " + stats);
        assertEquals(malformed, stats.framesDropped(DropReason.MALFORMED), "malformed, in " + stats);
        assertEquals(tooLong + malformed, stats.framesDropped(), "all dropped, in " + stats);
    }

    /** The four traffic counts, compared as one value so that a failure shows them all. */
    private record Traffic(long messagesReceived, long bytesReceived, long messagesSent, long bytesSent) {
        static Traffic of(Stats stats) {
            return new Traffic(
                    stats.messagesReceived(), stats.bytesReceived(), stats.messagesSent(), stats.bytesSent());
        }
    }
}
