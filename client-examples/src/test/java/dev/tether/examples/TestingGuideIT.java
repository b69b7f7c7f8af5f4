/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tether.ClientConfig;
import dev.tether.ConnectedEvent;
import dev.tether.Connection;
import dev.tether.ConnectionListener;
import dev.tether.FrameDroppedEvent;
import dev.tether.FrameTooLongException;
import dev.tether.ReconnectScheduledEvent;
import dev.tether.TetherClient;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.FaultProxy;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The tests docs/testing.md shows, run in the build: each tests a client's behaviour against a
 * {@link ScriptedServer} from client-testkit, over loopback, without sleeping.
 */
class TestingGuideIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void resubscribesAfterAReconnect() throws Exception {
        // region resubscribe
        Script subscribe = Script.create().expectLine("SUBSCRIBE prices");
        try (ScriptedServer server = ScriptedServer.start(
                        List.of(subscribe.sendLines("p1").close()), // the first connection drops after one price
                        subscribe.sendLines("p2").stall()); // every later one keeps sending
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress("127.0.0.1", server.port())
                        .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(50)))
                        .onConnect(connection -> connection.send("SUBSCRIBE prices"))
                        .build())) {
            Connection<String> connection = client.connect().get(5, SECONDS);
            assertEquals(Optional.of("p1"), connection.receive(WAIT));
            assertEquals(Optional.of("p2"), connection.receive(WAIT)); // from the second connection
            server.assertNoFailures(); // each connection got its SUBSCRIBE
        }
        // endregion
    }

    @Test
    void sendsHeartbeatsWhileQuiet() throws Exception {
        // region heartbeat
        try (ScriptedServer server = ScriptedServer.start(
                        Script.create().expectLine("PING").expectLine("PING").stall());
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress("127.0.0.1", server.port())
                        .idle(IdlePolicy.heartbeat(Duration.ofMillis(100), () -> "PING"))
                        .build())) {
            client.connect().get(5, SECONDS);
            server.awaitLines(0, 2, WAIT); // two heartbeats from a client that has nothing else to say
            server.assertNoFailures();
        }
        // endregion
    }

    @Test
    void aSlowConsumerLosesNothing() throws Exception {
        // region slow-consumer
        List<String> feed = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            feed.add("tick " + i);
        }
        try (ScriptedServer server = ScriptedServer.start(
                        Script.create().sendLines(feed.toArray(String[]::new)).stall());
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress("127.0.0.1", server.port())
                        .inboxCapacity(100) // full after 100 lines: the client stops reading the socket
                        .build())) {
            Connection<String> connection = client.connect().get(5, SECONDS);
            List<String> received = new ArrayList<>();
            while (received.size() < feed.size()) {
                received.addAll(connection.receive(10, WAIT)); // ten at a time, slower than the server sends
            }
            assertEquals(feed, received); // every line, in order
        }
        // endregion
    }

    @Test
    void dropsAnOverlongLineAndCarriesOn() throws Exception {
        // region bad-frame
        CompletableFuture<FrameDroppedEvent> dropped = new CompletableFuture<>();
        try (ScriptedServer server = ScriptedServer.start(Script.create()
                        .send("x".repeat(100) + "\n")
                        .sendLines("fine")
                        .stall());
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress("127.0.0.1", server.port())
                        .framing(Framing.lines(64)) // at most 64 bytes a line
                        .listener(new ConnectionListener() {
                            @Override
                            public void onFrameDropped(FrameDroppedEvent event) {
                                dropped.complete(event);
                            }
                        })
                        .build())) {
            Connection<String> connection = client.connect().get(5, SECONDS);
            assertEquals(Optional.of("fine"), connection.receive(WAIT)); // the next line still arrives
            assertInstanceOf(
                    FrameTooLongException.class, dropped.get(5, SECONDS).cause());
        }
        // endregion
    }

    @Test
    void linesSlicedByAFaultProxyArriveWhole() throws Exception {
        // region fault-proxy
        try (ScriptedServer server = ScriptedServer.start(
                        Script.create().sendLines("alpha", "beta").stall());
                FaultProxy proxy = FaultProxy.start(server.address()).seed(42).slice(3); // writes of 1-3 bytes
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress("127.0.0.1", proxy.port()) // through the proxy
                        .build())) {
            Connection<String> connection = client.connect().get(5, SECONDS);
            assertEquals(
                    List.of("alpha", "beta"),
                    List.of(
                            connection.receive(WAIT).orElseThrow(),
                            connection.receive(WAIT).orElseThrow()));
        }
        // endregion
    }

    @Test
    void retriesRefusedConnects() throws Exception {
        // region refused
        CompletableFuture<ConnectedEvent> connected = new CompletableFuture<>();
        try (ScriptedServer server = ScriptedServer.start(
                        Script.create().sendLines("welcome").stall());
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress("127.0.0.1", server.port())
                        .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(20)))
                        .retryInitialConnect(true)
                        .listener(new ConnectionListener() {
                            @Override
                            public void onReconnectScheduled(ReconnectScheduledEvent event) {
                                if (event.attempt() == 3) { // three connects were refused
                                    server.up(); // before the retry starts
                                }
                            }

                            @Override
                            public void onConnected(ConnectedEvent event) {
                                connected.complete(event);
                            }
                        })
                        .build())) {
            server.down(); // nothing listens: the kernel refuses every connect
            Connection<String> connection = client.connect().get(5, SECONDS);
            assertEquals(3, connected.get(5, SECONDS).attempt()); // the third retry got through
            assertEquals(Optional.of("welcome"), connection.receive(WAIT));
        }
        // endregion
    }
}
