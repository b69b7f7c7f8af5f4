/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.reconnect.Jitter;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.NumberedLines;
import dev.tether.testing.RecordingListener;
import dev.tether.testing.Resources;
import dev.tether.testing.Threads;
import dev.tether.testkit.Await;
import dev.tether.testkit.FaultProxy;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client through a {@link FaultProxy}: faults of the network between it and a healthy server, seeded. */
class FaultProxyIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SEED = 42;
    private static final ReconnectPolicy QUICK = ReconnectPolicy.exponential(
                    Duration.ofMillis(20), Duration.ofMillis(200))
            .withJitter(Jitter.NONE);

    private final RecordingListener events = new RecordingListener();
    private final Resources resources = new Resources();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        resources.closeAll();
        Threads.awaitNone("fault-proxy-", WAIT);
    }

    private FaultProxy proxyTo(Script script) throws IOException {
        ScriptedServer server = resources.track(ScriptedServer.start(script));
        return resources.track(FaultProxy.start(server.address())).seed(SEED);
    }

    /** Connects a client through {@code proxy}; its messages are collected in {@link #received}. */
    private Connection<String> connect(FaultProxy proxy, IdlePolicy idle) throws Exception {
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddress("127.0.0.1", proxy.port())
                .name(resources.clientName("fault"))
                .framing(Framing.lines(1024))
                .listener(events)
                .reconnect(QUICK)
                .idle(idle)
                .handler((connection, message) -> received.add(message))
                .build();
        return resources.track(TetherClient.create(config)).connect().get(10, TimeUnit.SECONDS);
    }

    @Test
    void framesSlicedIntoWritesOfOneToThreeBytesAreReassembledExactly() throws Exception {
        FaultProxy proxy =
                proxyTo(Script.create().send(NumberedLines.bytes(2000))).slice(3);

        connect(proxy, IdlePolicy.disabled());

        Await.until(() -> received.size() >= 2000, WAIT, "2000 lines, got " + received.size());
        assertEquals(NumberedLines.expected(2000), received);
        assertEquals(List.of(), events.events(DisconnectedEvent.class));
    }

    @Test
    void aHeldLinkIsDeclaredDeadByTheReadTimeoutAndReconnectedOnceReleased() throws Exception {
        FaultProxy proxy = proxyTo(Script.create().echoing());
        Connection<String> connection = connect(
                proxy,
                IdlePolicy.readTimeout(Duration.ofMillis(400)).withHeartbeat(Duration.ofMillis(50), () -> "PING"));
        Await.until(() -> received.size() >= 3, WAIT, "echoed heartbeats");

        proxy.hold(); // the sockets stay open: only a timer can tell that nothing moves

        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        assertInstanceOf(IdleTimeoutException.class, lost.cause().getCause());
        assertTrue(
                lost.cause().getMessage().endsWith("for 400 ms (readTimeout)"),
                lost.cause().getMessage());
        proxy.release();
        Await.until(() -> events.events(ConnectedEvent.class).size() >= 2, WAIT, "a reconnect through the proxy");
        int before = received.size();
        Await.until(() -> received.size() > before + 2, WAIT, "heartbeats echoed on the new connection");
        assertTrue(connection.isOpen());
    }

    @Test
    void aProxyThatGoesDownAndComesBackOnTheSamePortIsFoundAgain() throws Exception {
        FaultProxy proxy = proxyTo(Script.create().echoing());
        Connection<String> connection = connect(proxy, IdlePolicy.disabled());
        connection.send("before").get(10, TimeUnit.SECONDS);
        Await.until(() -> received.contains("before"), WAIT, "the echo before the outage");

        proxy.down();
        Await.until(
                () -> events.events(ReconnectScheduledEvent.class).stream()
                        .anyMatch(e -> e.cause() instanceof ConnectFailedException),
                WAIT,
                "a refused attempt while the proxy is down");
        proxy.up();

        Await.until(() -> events.events(ConnectedEvent.class).size() == 2, WAIT, "the reconnect after up()");
        connection.send("after").get(10, TimeUnit.SECONDS);
        Await.until(() -> received.contains("after"), WAIT, "the echo after the outage");
        DisconnectedEvent lost = events.events(DisconnectedEvent.class).get(0);
        assertTrue(
                lost.cause().getMessage().endsWith("was reset by the peer"),
                lost.cause().getMessage());
    }

    @Test
    void aConnectionCutInsideAFrameNeverDeliversTheHalfFrame() throws Exception {
        // "line 0\n" is 7 bytes: 10 bytes end inside "line 1"; every connection gets the same stream from the start
        FaultProxy proxy = proxyTo(Script.create().send(NumberedLines.bytes(100)))
                .closeAfter(10)
                .slice(2);
        connect(proxy, IdlePolicy.disabled());

        Await.until(() -> events.events(DisconnectedEvent.class).size() >= 2, WAIT, "two cut connections");
        proxy.closeAfter(-1);

        Await.until(() -> received.contains("line 99"), WAIT, "the whole stream on a connection left alone");
        // each cut connection delivered "line 0" and nothing of "lin": no garbage was carried into the next one
        assertTrue(received.stream().allMatch(line -> line.matches("line \\d+")), received.toString());
        List<String> last = received.subList(received.lastIndexOf("line 0"), received.size());
        assertEquals(NumberedLines.expected(100), last);
    }

    @Test
    void closingTheClientOverAStalledLinkEndsEverySendAndTheConnectionWithinTheCloseTimeout() throws Exception {
        // the server does not get to read: the client's sends pile up in the socket and in Netty's outbound buffer
        FaultProxy proxy = proxyTo(Script.create()).hold();
        TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                .remoteAddress("127.0.0.1", proxy.port())
                .name(resources.clientName("fault"))
                .listener(events)
                .closeTimeout(Duration.ofMillis(500))
                .build());
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        String line = "x".repeat(1000);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
            sends.add(connection.send(line));
        }

        client.close();

        assertEquals(ConnectionState.CLOSED, connection.state());
        events.await(ClosedEvent.class, WAIT);
        for (CompletableFuture<Void> send : sends) {
            assertTrue(send.isDone(), "a send still pending after close");
        }
        assertTrue(sends.stream().anyMatch(CompletableFuture::isCompletedExceptionally), "the stalled sends failed");
    }

    @Test
    void aResetLinkIsReconnected() throws Exception {
        FaultProxy proxy = proxyTo(Script.create().echoing());
        Connection<String> connection = connect(proxy, IdlePolicy.disabled());
        Await.until(() -> proxy.acceptedCount() == 1, WAIT, "the proxy to accept");

        proxy.resetAll();

        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        assertEquals(ConnectionClosedException.Reason.FAILURE, lost.cause().reason());
        assertTrue(
                lost.cause().getMessage().endsWith("was reset by the peer"),
                lost.cause().getMessage());
        Await.until(() -> events.events(ConnectedEvent.class).size() == 2, WAIT, "the reconnect");
        connection.send("again").get(10, TimeUnit.SECONDS);
        Await.until(() -> received.contains("again"), WAIT, "the echo on the new connection");
    }
}
