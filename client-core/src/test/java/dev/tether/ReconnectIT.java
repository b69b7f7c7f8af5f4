/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Reconnecting, against real servers that go away, refuse, flap or come back: the policy's delays, rotation through
 * endpoints, giving up with a clear cause, a clean start on each new connection, the on-connect hook, close during
 * a pending attempt, and how an outage is logged.
 */
class ReconnectIT extends ClientFixture {
    ReconnectIT() {
        super("rec", QUICK);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private List<Long> scheduledDelaysMillis() {
        return events.events(ReconnectScheduledEvent.class).stream()
                .map(e -> e.delay().toMillis())
                .toList();
    }

    private static String lines(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            out.append(i).append('\n');
        }
        return out.toString();
    }

    @Test
    void serverRestartOnTheSamePortMidStreamLosesNothing() throws Exception {
        ScriptedServer first = scripted(Script.create().send(lines(0, 500)).stall());
        int port = first.port();
        List<String> received = new CopyOnWriteArrayList<>();
        client(config(port).handler((c, m) -> received.add(m)).build())
                .connect()
                .get(10, TimeUnit.SECONDS);
        Await.until(() -> received.size() == 500, WAIT, "the first half, have " + received.size());

        first.close(); // the server goes away mid-stream, closing its connection...
        events.await(DisconnectedEvent.class, WAIT);
        // ...and comes back on the same port
        resources.track(ScriptedServer.start(port, connection -> Script.create().send(lines(500, 1000))));

        Await.until(() -> received.size() == 1000, WAIT, "the second half, have " + received.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(String.valueOf(i), received.get(i));
        }
        assertEquals(2, events.events(ConnectedEvent.class).size());
    }

    @Test
    void refusedConnectsFollowThePolicyAndGiveUpWithAClearCause() throws Exception {
        int port = freePort();
        ClientConfig<String> config = config(port)
                .reconnect(QUICK.withMaxAttempts(4))
                .retryInitialConnect(true)
                .build();
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> client(config).connect().get(10, TimeUnit.SECONDS));
        assertEquals(List.of(20L, 40L, 80L, 160L), scheduledDelaysMillis());
        assertEquals(
                List.of(1, 2, 3, 4),
                events.events(ReconnectScheduledEvent.class).stream()
                        .map(ReconnectScheduledEvent::attempt)
                        .toList());
        GaveUpEvent gaveUp = events.await(GaveUpEvent.class, WAIT);
        assertEquals(4, gaveUp.attempts(), "the four retries the policy allows; the first connect is not a retry");
        assertInstanceOf(ConnectFailedException.class, e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(
                message.startsWith("connect to 127.0.0.1:" + port + " failed after 4 reconnect attempts in "), message);
        assertTrue(
                message.endsWith("(last cause: connect to 127.0.0.1:" + port + " failed: Connection refused)"),
                message);
        assertEquals(
                List.of(
                        "ReconnectScheduledEvent",
                        "ReconnectScheduledEvent",
                        "ReconnectScheduledEvent",
                        "ReconnectScheduledEvent",
                        "GaveUpEvent",
                        "ClosedEvent"),
                events.kinds());
    }

    @Test
    void aServerThatComesUpIsFoundByTheNextAttempt() throws Exception {
        ScriptedServer server = scripted(Script.create().sendLines("up").stall());
        server.down(); // refuses connects until up()
        TetherClient<String> client = client(config(server.port())
                .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(50)))
                .retryInitialConnect(true)
                .build());
        CompletableFuture<Connection<String>> connecting = client.connect();
        Await.until(() -> events.events(ReconnectScheduledEvent.class).size() >= 3, WAIT, "three refused attempts");
        server.up();
        Connection<String> connection = connecting.get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("up"), connection.receive(WAIT));
        ConnectedEvent connected = events.await(ConnectedEvent.class, WAIT);
        assertEquals(
                events.events(ReconnectScheduledEvent.class).size(), connected.attempt(), "the retry that connected");
    }

    @Test
    void aFlappingServerDoesNotResetTheBackoff() throws Exception {
        ScriptedServer server = scripted(Script.create().close());
        TetherClient<String> client = client(config(server.port()).build());
        client.connect().get(10, TimeUnit.SECONDS);
        Await.until(() -> scheduledDelaysMillis().size() >= 5, WAIT, "five reconnects");
        assertEquals(List.of(20L, 40L, 80L, 160L, 320L), scheduledDelaysMillis().subList(0, 5));
    }

    @Test
    void attemptsRotateThroughEndpointsAndEventsNameThem() throws Exception {
        int down = freePort();
        ScriptedServer up = scripted(Script.create().sendLines("second").stall());
        ClientConfig<String> config = config(down)
                .remoteAddresses(List.of(
                        InetSocketAddress.createUnresolved("127.0.0.1", down),
                        InetSocketAddress.createUnresolved("127.0.0.1", up.port())))
                .retryInitialConnect(true)
                .build();
        Connection<String> connection = client(config).connect().get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("second"), connection.receive(WAIT));
        ReconnectScheduledEvent scheduled = events.await(ReconnectScheduledEvent.class, WAIT);
        assertEquals(up.port(), scheduled.nextAddress().getPort());
        assertTrue(
                scheduled.cause().getMessage().contains("127.0.0.1:" + down),
                scheduled.cause().getMessage());
        assertEquals(
                up.port(),
                events.await(ConnectedEvent.class, WAIT).remoteAddress().getPort());
    }

    @Test
    void aHalfFrameIsNeverCarriedIntoTheNextConnection() throws Exception {
        ScriptedServer server = scripted(
                List.of(Script.create().send("whole\nhal").close()), // a FIN right after half a line
                Script.create().sendLines("fresh").stall());
        List<String> received = new CopyOnWriteArrayList<>();
        client(config(server.port()).handler((c, m) -> received.add(m)).build()).connect();
        Await.until(() -> received.size() == 2, WAIT, "two lines, have " + received);
        assertEquals(List.of("whole", "fresh"), received);
    }

    @Test
    void aFailingHookClosesTheChannelAndReconnectRetriesIt() throws Exception {
        ScriptedServer server = scripted(
                List.of(Script.create().stall()), // the hook fails here: nothing is sent
                Script.create().expectLine("LOGIN").stall());
        AtomicInteger calls = new AtomicInteger();
        ClientConfig<String> config = config(server.port())
                .onConnect(connection -> calls.incrementAndGet() == 1
                        ? CompletableFuture.failedFuture(new IllegalStateException("login refused"))
                        : connection.send("LOGIN"))
                .build();
        Connection<String> connection = client(config).connect().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("LOGIN"), server.awaitLines(1, 1, WAIT));
        assertEquals(List.of(), server.connection(0).receivedLines());
        DisconnectedEvent first = events.await(DisconnectedEvent.class, WAIT);
        assertTrue(
                first.cause().getMessage().contains("the onConnect hook failed"),
                first.cause().getMessage());
        assertEquals(ConnectionState.CONNECTED, connection.state());
        server.assertNoFailures();
    }

    @Test
    void closeDisarmsAPendingReconnect() throws Exception {
        ScriptedServer server = scripted(Script.create().close()); // drops each connection at once (FIN)
        TetherClient<String> client = client(config(server.port())
                .reconnect(ReconnectPolicy.fixed(Duration.ofSeconds(30)))
                .build());
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        events.await(ReconnectScheduledEvent.class, WAIT);
        client.close();
        assertEquals(ConnectionState.CLOSED, connection.state());
        assertEquals(1, server.acceptedCount());
        assertEquals(1, events.events(ClosedEvent.class).size());
    }

    @Test
    void anOutageWarnsOnceThenLogsRepeatsAtDebug() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.tether.internal.Reconnector");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            ClientConfig<String> config = config(freePort())
                    .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(10)).withMaxAttempts(6))
                    .retryInitialConnect(true)
                    .build();
            assertThrows(
                    ExecutionException.class, () -> client(config).connect().get(10, TimeUnit.SECONDS));
            List<ILoggingEvent> retries = appender.list.stream()
                    .filter(e -> e.getFormattedMessage().contains("; reconnect attempt "))
                    .toList();
            assertEquals(6, retries.size());
            assertEquals(Level.WARN, retries.get(0).getLevel());
            assertTrue(retries.get(0).getFormattedMessage().contains("Connection refused"));
            assertTrue(retries.subList(1, 6).stream().allMatch(e -> e.getLevel() == Level.DEBUG));
        } finally {
            logger.setLevel(previous);
            logger.detachAppender(appender);
        }
    }
}
