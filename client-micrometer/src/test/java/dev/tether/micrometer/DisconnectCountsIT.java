/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.ConnectedEvent;
import dev.tether.Connection;
import dev.tether.ConnectionListener;
import dev.tether.ReconnectScheduledEvent;
import dev.tether.Stats.DisconnectCause;
import dev.tether.TetherClient;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Disconnects by cause, connects by outcome, reconnects, and the connect timer's counts. */
class DisconnectCountsIT extends MetricsFixture {
    private static final ReconnectPolicy FAST = ReconnectPolicy.fixed(Duration.ofMillis(20));

    DisconnectCountsIT() {
        super("disconnects", ReconnectPolicy.disabled());
    }

    @Test
    void serverCloseIsPeerClosed() throws Exception {
        assertOneDisconnect(Script.create().close(), Function.identity(), DisconnectCause.PEER_CLOSED);
    }

    @Test
    void serverResetIsReset() throws Exception {
        // a reset as soon as it accepts could beat the client's connect and fail it: reset once the client spoke
        ScriptedServer server = scripted(Script.create().expectLine("reset me").reset());
        TetherClient<String> client = client(metered(server.port()).build());
        Connection<String> connection = connect(client);
        connection.send("reset me").join();
        Await.until(() -> !connection.isOpen(), WAIT, "the reset to end the connection");
        assertDisconnects(client, DisconnectCause.RESET);
    }

    @Test
    void silentServerIsIdleTimeout() throws Exception {
        assertOneDisconnect(
                Script.create().stall(),
                config -> config.idle(IdlePolicy.readTimeout(Duration.ofMillis(200))),
                DisconnectCause.IDLE_TIMEOUT);
    }

    @Test
    void corruptLengthPrefixIsProtocolErrorNotADrop() throws Exception {
        assertOneDisconnect(
                Script.create().send(new byte[] {1, 0}).stall(), // announces 256 bytes: no boundary can be trusted
                config -> config.framing(Framing.lengthField(2, 16)),
                DisconnectCause.PROTOCOL_ERROR);
        assertEquals(0.0, count("tether.frames.dropped", "reason", "too_long"), "the connection did not stay up");
    }

    @Test
    void closeByTheApplicationIsApplication() throws Exception {
        ScriptedServer server = scripted(Script.create().stall());
        TetherClient<String> client = client(metered(server.port()).build());
        connect(client).close();
        assertDisconnects(client, DisconnectCause.APPLICATION);
    }

    @Test
    void refusedConnectsAreFailuresAndTimedAsSuch() throws Exception {
        ScriptedServer server = scripted(Script.create().stall());
        CompletableFuture<ConnectedEvent> connected = new CompletableFuture<>();
        TetherClient<String> client = client(metered(server.port())
                .reconnect(FAST)
                .retryInitialConnect(true)
                .listener(upAfterThirdRetry(server, connected))
                .build());
        server.down();
        connect(client);
        assertEquals(3, connected.get(10, TimeUnit.SECONDS).attempt());

        assertEquals(3, client.stats().failedConnects());
        assertEquals(1, client.stats().connects());
        assertEquals(0, client.stats().reconnects(), "the first connect of a connection is no reconnect");
        assertEquals(3.0, count("tether.connects", "outcome", "failure"));
        assertEquals(1.0, count("tether.connects", "outcome", "success"));
        assertEquals(0.0, count("tether.reconnects"));
        assertTimed(3, 1);
        assertEquals(0, client.stats().disconnects(), "nothing that never connected disconnects");
    }

    @Test
    void reconnectAfterALossCountsTheRefusalsOnTheWay() throws Exception {
        ScriptedServer server = scripted(
                List.of(Script.create().expectLine("drop").close()),
                Script.create().stall());
        CompletableFuture<ConnectedEvent> reconnected = new CompletableFuture<>();
        TetherClient<String> client = client(metered(server.port())
                .reconnect(FAST)
                .listener(upAfterThirdRetry(server, reconnected))
                .build());
        Connection<String> connection = connect(client);
        server.awaitConnections(1, WAIT);
        server.down(); // the accepted connection carries on; new ones are refused
        connection.send("drop").join(); // the server closes: the client reconnects to a port that refuses
        assertEquals(3, reconnected.get(10, TimeUnit.SECONDS).attempt());
        Await.until(() -> client.stats().connects() == 2, WAIT, "the reconnect counted");

        assertEquals(2, client.stats().failedConnects());
        assertEquals(1, client.stats().reconnects());
        assertEquals(2.0, count("tether.connects", "outcome", "failure"));
        assertEquals(2.0, count("tether.connects", "outcome", "success"));
        assertEquals(1.0, count("tether.reconnects"));
        assertEquals(1.0, count("tether.disconnects", "cause", "peer_closed"));
        assertTimed(2, 2);
        assertEquals(connection.stats().reconnects(), client.stats().reconnects());
    }

    @Test
    void connectTimeIncludesTheOnConnectHook() throws Exception {
        ScriptedServer server = scripted(Script.create()
                .expectLine("HELLO")
                .pause(Duration.ofMillis(50)) // the server thinks before it answers
                .sendLines("WELCOME")
                .stall());
        CompletableFuture<String> welcome = new CompletableFuture<>();
        long[] hookTook = new long[1]; // written by the hook, read after the connect completed
        TetherClient<String> client = client(metered(server.port())
                .handler((connection, message) -> welcome.complete(message))
                .onConnect(connection -> {
                    long start = System.nanoTime();
                    return connection
                            .send("HELLO")
                            .thenCompose(sent -> welcome)
                            .thenRun(() -> hookTook[0] = System.nanoTime() - start);
                })
                .build());
        connect(client);

        Timer success = connectTimer("success");
        assertEquals(1, success.count());
        assertTrue(hookTook[0] > 0, "the hook ran");
        assertTrue(
                success.totalTime(TimeUnit.NANOSECONDS) >= hookTook[0],
                "recorded " + success.totalTime(TimeUnit.NANOSECONDS) + " ns, the hook alone took " + hookTook[0]);
        assertEquals(0, connectTimer("failure").count());
        assertEquals(1, client.stats().messagesSent(), "the hook's send counts");
    }

    @Test
    void failedHookIsAFailedConnectNotADisconnect() throws Exception {
        ScriptedServer server = scripted(Script.create().stall());
        TetherClient<String> client = client(metered(server.port())
                .onConnect(connection -> CompletableFuture.failedFuture(new IllegalStateException("not today")))
                .build());
        assertThrows(ExecutionException.class, () -> client.connect().get(10, TimeUnit.SECONDS));

        assertEquals(1, client.stats().failedConnects());
        assertEquals(0, client.stats().connects());
        assertEquals(0, client.stats().disconnects(), "a channel whose hook failed never counted as connected");
        assertEquals(1.0, count("tether.connects", "outcome", "failure"));
        assertEquals(0.0, count("tether.connects", "outcome", "success"));
        assertTimed(1, 0);
    }

    @Test
    void heartbeatsAreNotCountedAsSent() throws Exception {
        ScriptedServer server =
                scripted(Script.create().expectLine("PING").expectLine("PING").stall());
        TetherClient<String> client = client(metered(server.port())
                .idle(IdlePolicy.heartbeat(Duration.ofMillis(50), () -> "PING"))
                .build());
        connect(client);
        server.awaitLines(0, 2, WAIT);
        server.assertNoFailures();

        assertEquals(0, client.stats().messagesSent());
        assertEquals(0.0, count("tether.messages.sent"));
        assertEquals(0.0, count("tether.bytes.sent"));
    }

    /** A server that runs {@code script}; a client that connects and loses the connection, once, for {@code cause}. */
    private void assertOneDisconnect(
            Script script,
            Function<ClientConfig.Builder<String>, ClientConfig.Builder<String>> configure,
            DisconnectCause cause)
            throws Exception {
        ScriptedServer server = scripted(script);
        TetherClient<String> client =
                client(configure.apply(metered(server.port())).build());
        Connection<String> connection = connect(client);
        Await.until(() -> !connection.isOpen(), WAIT, "the loss to end the connection");
        assertDisconnects(client, cause);
        assertEquals(1, connection.stats().disconnects(cause));
    }

    /** Exactly one disconnect, for {@code cause}: in the client's stats and in the registry, every other cause 0. */
    private void assertDisconnects(TetherClient<String> client, DisconnectCause cause) {
        Await.until(() -> client.stats().disconnects() == 1, WAIT, "one disconnect");
        for (DisconnectCause each : DisconnectCause.values()) {
            long expected = each == cause ? 1 : 0;
            assertEquals(expected, client.stats().disconnects(each), each + " in " + client.stats());
            assertEquals(expected, count("tether.disconnects", "cause", each.tag()), each.tag());
        }
        assertEquals(1.0, count("tether.connects", "outcome", "success"));
        assertEquals(0.0, count("tether.connects", "outcome", "failure"));
        assertTimed(0, 1);
    }

    /** The connect timer counted as many attempts as the counters, and timed them. */
    private void assertTimed(long failures, long successes) {
        Timer failed = connectTimer("failure");
        Timer succeeded = connectTimer("success");
        assertEquals(failures, failed.count(), "failed attempts timed");
        assertEquals(successes, succeeded.count(), "successful attempts timed");
        assertEquals(failures > 0, failed.totalTime(TimeUnit.NANOSECONDS) > 0, "failed attempts' time");
        assertEquals(successes > 0, succeeded.totalTime(TimeUnit.NANOSECONDS) > 0, "successful attempts' time");
    }

    /** Brings {@code server} up when the third retry is scheduled, so exactly two attempts before it are refused. */
    private static ConnectionListener upAfterThirdRetry(
            ScriptedServer server, CompletableFuture<ConnectedEvent> connected) {
        return new ConnectionListener() {
            @Override
            public void onReconnectScheduled(ReconnectScheduledEvent event) {
                if (event.attempt() == 3) {
                    server.up(); // before the retry starts
                }
            }

            @Override
            public void onConnected(ConnectedEvent event) {
                if (event.attempt() > 0) {
                    connected.complete(event);
                }
            }
        };
    }
}
