/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.RecordingListener;
import dev.tether.testing.Resources;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An on-connect hook whose stage never completes, over a real socket. */
class OnConnectHookIT {
    private final Resources resources = new Resources();
    private final RecordingListener events = new RecordingListener();

    @AfterEach
    void tearDown() throws Exception {
        resources.closeAll();
    }

    /** Issue 10: a login reply that never came left connect() pending for ever, with no event. */
    @Test
    void issue10AHookThatNeverCompletesFailsTheConnectionAfterTheConnectTimeout() throws Exception {
        ScriptedServer server = resources.track(ScriptedServer.start(Script.create())); // reads until the client closes
        TetherClient<String> client = resources.track(TetherClient.create(ClientConfig.builder()
                .remoteAddress("127.0.0.1", server.port())
                .name(resources.clientName("hook"))
                .connectTimeout(Duration.ofMillis(300))
                .reconnect(ReconnectPolicy.disabled())
                .onConnect(connection -> connection.send("LOGIN").thenCompose(sent -> new CompletableFuture<>()))
                .listener(events)
                .build()));

        ExecutionException e =
                assertThrows(ExecutionException.class, () -> client.connect().get(10, TimeUnit.SECONDS));

        assertInstanceOf(ConnectFailedException.class, e.getCause());
        assertTrue(
                e.getCause().getMessage().contains("the onConnect hook did not complete within PT0.3S"),
                e.getCause().getMessage());
        assertEquals(List.of("ConnectedEvent", "DisconnectedEvent", "ClosedEvent"), events.kinds());
        assertEquals(List.of("LOGIN"), server.awaitLines(0, 1, Duration.ofSeconds(10)));
        assertEquals(1, server.acceptedCount());
    }
}
