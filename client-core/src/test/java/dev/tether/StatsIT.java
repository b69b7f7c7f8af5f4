/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 13: what stats() says about a real connection, against feeds whose every byte is known. */
class StatsIT extends ClientFixture {
    StatsIT() {
        super("stats", ReconnectPolicy.disabled());
    }

    @Test
    void countsEveryMessageAndByteInAndOutExactly() throws Exception {
        StringBuilder feed = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            feed.append(String.format("line-%04d\n", i)); // 10 bytes each
        }
        ScriptedServer server = scripted(Script.create().send(feed.toString()));
        TetherClient<String> client = client(config(server.port()).build());
        Connection<String> connection = connect(client);
        List<String> received = new ArrayList<>();
        while (received.size() < 1000) {
            received.addAll(connection.receive(1000, WAIT));
        }
        for (int i = 0; i < 5; i++) {
            connection.send("ack-" + i).get(10, TimeUnit.SECONDS);
        }
        server.awaitLines(0, 5, WAIT);

        ConnectionStats stats = connection.stats();
        assertEquals(1000, stats.messagesReceived());
        assertEquals(10_000, stats.bytesReceived());
        assertEquals(5, stats.messagesSent());
        assertEquals(30, stats.bytesSent(), "ack-N and its newline, five times");
        assertEquals(0, stats.framesDropped());
        assertEquals(0, stats.inboxMessages(), "all taken");
        assertEquals(0, stats.pendingWriteBytes(), "all written");
        assertEquals(1, stats.connects());
        assertEquals(ConnectionState.CONNECTED, stats.state());
        assertEquals(server.port(), stats.remoteAddress().getPort());
        assertEquals(client.transport(), stats.transport());
        assertTrue(stats.connectedSince().isPresent());
        assertTrue(stats.lastMessageReceivedAt().isPresent());

        ClientStats whole = client.stats();
        assertEquals(name, whole.clientName());
        assertEquals(1, whole.openConnections());
        assertEquals(1, whole.connectedConnections());
        assertEquals(1000, whole.messagesReceived());
        assertEquals(5, whole.messagesSent());
    }

    @Test
    void aClientKeepsTheCountsOfClosedConnectionsAndItsLevelsFallToZero() throws Exception {
        ScriptedServer server = scripted(Script.create().sendLines("a", "b", "c"));
        TetherClient<String> client = client(config(server.port()).build());
        Connection<String> first = connect(client);
        Connection<String> second = connect(client);
        Await.until(
                () -> first.stats().inboxMessages() == 3 && second.stats().inboxMessages() == 3,
                WAIT,
                "three lines waiting in each inbox");
        assertEquals(6, client.stats().inboxMessages(), "the client's level sums its connections'");
        assertEquals(6, client.stats().inboxBytes(), "what the inbox counts: chars, without the newlines");

        first.close();
        ClientStats afterOne = client.stats();
        assertEquals(1, afterOne.openConnections());
        assertEquals(6, afterOne.messagesReceived(), "a closed connection's counts stay");
        assertEquals(3, afterOne.inboxMessages(), "only open connections have levels");
        assertEquals(1, afterOne.disconnects(Stats.DisconnectCause.APPLICATION));

        client.close();
        ClientStats closed = client.stats();
        assertEquals(0, closed.openConnections());
        assertEquals(0, closed.inboxMessages());
        assertEquals(0, closed.bufferedSends());
        assertEquals(6, closed.messagesReceived());
        assertEquals(2, closed.connects());
        assertEquals(2, closed.disconnects(Stats.DisconnectCause.APPLICATION));
        assertEquals(ConnectionState.CLOSED, first.stats().state());
        assertEquals(3, first.stats().messagesReceived(), "a connection's stats outlive it");
    }

    @Test
    void dropsAreCountedByReasonAndTheGoodFramesStillArrive() throws Exception {
        ByteArrayOutputStream feed = new ByteArrayOutputStream();
        feed.writeBytes("ok-1\n".getBytes(UTF_8));
        feed.writeBytes(("x".repeat(40) + "\n").getBytes(UTF_8)); // over the limit
        feed.writeBytes(new byte[] {'b', 'a', 'd', (byte) 0xC3, (byte) 0x28, '\n'}); // not UTF-8
        feed.writeBytes("ok-2\n".getBytes(UTF_8));
        ScriptedServer server = scripted(Script.create().send(feed.toByteArray()));
        TetherClient<String> client = client(config(ClientConfig.builder(Codec.strictText(UTF_8)), server.port())
                .framing(Framing.lines(16))
                .build());
        Connection<String> connection = connect(client);

        assertEquals(List.of("ok-1"), connection.receive(1, WAIT));
        assertEquals(List.of("ok-2"), connection.receive(1, WAIT));
        ConnectionStats stats = connection.stats();
        assertEquals(2, stats.messagesReceived());
        assertEquals(1, stats.framesDropped(Stats.DropReason.TOO_LONG));
        assertEquals(1, stats.framesDropped(Stats.DropReason.MALFORMED));
        assertEquals(feed.size(), stats.bytesReceived());
    }

    @Test
    void sendsBufferedDuringAnOutageAreALevelUntilTheyGoOut() throws Exception {
        ScriptedServer server = scripted(Script.create().expectLine("bye").close());
        TetherClient<String> client = client(config(server.port())
                .reconnect(ReconnectPolicy.fixed(java.time.Duration.ofMillis(50)))
                .build());
        Connection<String> connection = connect(client);
        server.down(); // the connection carries on; the reconnect will be refused
        connection.send("bye");
        Await.until(() -> connection.stats().disconnects() == 1, WAIT, "the server hung up");
        Await.until(() -> connection.stats().failedConnects() >= 1, WAIT, "a refused reconnect");
        connection.send("one");
        connection.send("two");
        Await.until(() -> connection.stats().bufferedSends() == 2, WAIT, "two sends buffered");
        assertEquals(8, connection.stats().pendingWriteBytes(), "their frames: one, two and newlines");
        assertEquals(2, client.stats().bufferedSends());

        client.close();
        assertEquals(0, connection.stats().bufferedSends());
        assertEquals(0, connection.stats().pendingWriteBytes(), "they failed with the close");
        assertEquals(0, client.stats().bufferedSends());
        assertEquals(1, connection.stats().disconnects(Stats.DisconnectCause.PEER_CLOSED));
    }
}
