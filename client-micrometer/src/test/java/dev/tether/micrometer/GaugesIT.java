/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.Connection;
import dev.tether.ConnectionState;
import dev.tether.TetherClient;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Each gauge is non-zero while there is something to gauge, and back at zero once the client closed. */
class GaugesIT extends MetricsFixture {
    GaugesIT() {
        super("gauges", ReconnectPolicy.fixed(Duration.ofMillis(20)));
    }

    @Test
    void openConnectionsReturnToZero() throws Exception {
        ScriptedServer server = scripted(Script.create().stall());
        TetherClient<String> client = client(metered(server.port()).build());
        connect(client);
        connect(client);
        assertEquals(2.0, gauge("tether.connections.open"));
        assertEquals(2, client.stats().openConnections());

        client.close();
        assertEquals(0.0, gauge("tether.connections.open"));
        assertEquals(0, client.stats().openConnections());
    }

    @Test
    void inboxMessagesReturnToZero() throws Exception {
        ScriptedServer server =
                scripted(Script.create().sendLines("a", "b", "c", "d", "e").stall());
        TetherClient<String> client = client(metered(server.port()).build()); // no handler: an inbox
        Connection<String> connection = connect(client);
        Await.until(() -> gauge("tether.inbox.messages") == 5.0, WAIT, "five messages waiting");
        assertEquals(5, connection.stats().inboxMessages());
        assertEquals(5, client.stats().inboxMessages());
        assertEquals("a", connection.receive(WAIT).orElseThrow()); // taken; the inbox counts a read's batch at once

        client.close();
        assertEquals(0.0, gauge("tether.inbox.messages"));
        assertEquals(0, client.stats().inboxMessages());
    }

    @Test
    void bufferedSendsReturnToZero() throws Exception {
        ScriptedServer server = scripted(
                List.of(Script.create().expectLine("drop").close()),
                Script.create().stall());
        TetherClient<String> client = client(metered(server.port()).build());
        Connection<String> connection = connect(client);
        server.awaitConnections(1, WAIT);
        server.down(); // nothing to reconnect to
        connection.send("drop").join();
        Await.until(() -> connection.state() == ConnectionState.RECONNECTING, WAIT, "the loss");
        List<CompletableFuture<Void>> buffered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            buffered.add(connection.send("later-" + i)); // held until a connection comes back, which it won't
        }
        Await.until(() -> gauge("tether.sends.buffered") == 3.0, WAIT, "three sends buffered");
        assertEquals(3, connection.stats().bufferedSends());
        assertEquals(3, client.stats().bufferedSends());
        assertEquals(3 * 8, client.stats().pendingWriteBytes(), "their frames wait, \"later-0\\n\" and so on");

        client.close();
        assertEquals(0.0, gauge("tether.sends.buffered"));
        assertEquals(0, client.stats().bufferedSends());
        assertEquals(0, client.stats().pendingWriteBytes());
        buffered.forEach(send -> assertTrue(send.isCompletedExceptionally(), "a buffered send failed at close"));
        assertFalse(connection.isOpen());
    }
}
