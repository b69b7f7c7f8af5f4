/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.RecordingListener;
import dev.tether.testing.Resources;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A server that accepts every connection and closes it at once: each connect succeeds, none holds. */
class FlappingServerIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Resources resources = new Resources();

    @AfterEach
    void tearDown() throws Exception {
        resources.closeAll();
    }

    /**
     * Issue 10: giving up after connect-then-drop cycles said "after 0 failed attempts", and the event's connection
     * still said CONNECTED. A link that drops before the stable period does not reset the count of reconnect attempts.
     */
    @Test
    void issue10GivingUpCountsLinksThatDidNotHoldAndIsNotConnected() throws Exception {
        ScriptedServer server =
                resources.track(ScriptedServer.start(Script.create().close()));
        CopyOnWriteArrayList<ConnectionState> statesSeen = new CopyOnWriteArrayList<>();
        RecordingListener events = new RecordingListener();
        ConnectionListener recordingStates = new ConnectionListener() {
            @Override
            public void onEvent(ConnectionEvent event) {
                if (event instanceof GaveUpEvent || event instanceof DisconnectedEvent) {
                    statesSeen.add(event.connection().state());
                }
                events.onEvent(event);
            }
        };
        TetherClient<String> client = resources.track(TetherClient.create(ClientConfig.builder()
                .remoteAddress("127.0.0.1", server.port())
                .name(resources.clientName("flap"))
                .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(10)).withMaxAttempts(3))
                .listener(recordingStates)
                .build()));

        client.connect().get(10, TimeUnit.SECONDS).closeFuture().get(10, TimeUnit.SECONDS);

        GaveUpEvent gaveUp = events.await(GaveUpEvent.class, WAIT);
        int connects = events.events(ConnectedEvent.class).size();
        assertTrue(connects > 1, connects + " connects");
        assertEquals(3, gaveUp.attempts(), "every link dropped before the stable period: " + events.kinds());
        assertEquals(4, connects, "the first connect and three retries");
        assertTrue(
                gaveUp.lastCause().getMessage().contains("was closed by the peer"),
                gaveUp.lastCause().getMessage());
        assertEquals(connects + 1, statesSeen.size(), "a DisconnectedEvent per connect, then GaveUpEvent");
        statesSeen.forEach(state -> assertNotEquals(ConnectionState.CONNECTED, state, "state seen: " + statesSeen));
    }
}
