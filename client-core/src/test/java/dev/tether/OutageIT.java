/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.idle.IdlePolicy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An outage from both ends, against real servers that misbehave: how the client finds out that a peer has died or
 * gone quiet (read and frame timeouts, heartbeats, TCP keepalive on each transport), and what becomes of the sends
 * made while it reconnects.
 */
class OutageIT extends ClientFixture {
    OutageIT() {
        super("out", QUICK);
    }

    @Test
    void aSilentServerIsDeclaredDeadAndReconnected() throws Exception {
        ScriptedServer server = scripted(Script.create().stopReading().stall()); // open, silent, deaf
        client(config(server.port())
                        .idle(IdlePolicy.readTimeout(Duration.ofMillis(300)))
                        .build())
                .connect()
                .get(10, TimeUnit.SECONDS);
        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        assertInstanceOf(IdleTimeoutException.class, lost.cause().getCause());
        assertTrue(
                lost.cause()
                        .getMessage()
                        .contains("timed out: no data from 127.0.0.1:" + server.port() + " for 300 ms (readTimeout)"),
                lost.cause().getMessage());
        Await.until(() -> server.acceptedCount() >= 2, WAIT, "a reconnect after the idle timeout");
    }

    @Test
    void aServerDrippingOneFrameByteByByteTripsTheFrameTimeout() throws Exception {
        // a byte every 50 ms keeps the 1 s read timeout happy forever; only the frame timeout notices
        ScriptedServer server = scripted(Script.create()
                .send("ok\n")
                .drip("x".repeat(200), Duration.ofMillis(50))
                .stall());
        List<String> received = new CopyOnWriteArrayList<>();
        client(config(server.port())
                        .handler((c, m) -> received.add(m))
                        .reconnect(ReconnectPolicy.disabled())
                        .idle(IdlePolicy.readTimeout(Duration.ofSeconds(1)).withFrameTimeout(Duration.ofMillis(400)))
                        .build())
                .connect()
                .get(10, TimeUnit.SECONDS);
        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        assertInstanceOf(IdleTimeoutException.class, lost.cause().getCause());
        assertTrue(
                lost.cause().getMessage().endsWith("started but did not complete within 400 ms (frameTimeout)"),
                lost.cause().getMessage());
        assertEquals(List.of("ok"), received);
    }

    @Test
    void heartbeatsKeepAQuietLinkAlive() throws Exception {
        Script echoPings = Script.create();
        for (int i = 0; i < 100; i++) { // ten seconds of echoes at one ping every 100 ms, longer than the test
            echoPings = echoPings.expectLine("PING").sendLines("PING");
        }
        ScriptedServer server = scripted(echoPings.stall());
        client(config(server.port())
                        .idle(IdlePolicy.readTimeout(Duration.ofMillis(600))
                                .withHeartbeat(Duration.ofMillis(100), () -> "PING"))
                        .build())
                .connect()
                .get(10, TimeUnit.SECONDS);
        // the echoed pings are the inbound traffic that keeps the read timeout from firing
        server.awaitLines(0, 10, WAIT);
        assertEquals(List.of(), events.events(DisconnectedEvent.class));
        assertEquals(1, server.acceptedCount());
        assertTrue(server.connection(0).receivedLines().stream().allMatch("PING"::equals));
        server.assertNoFailures();
    }

    @Test
    void aFrozenServerIsCaughtByTheReadTimeoutWhileHeartbeatsStillGoOut() throws Exception {
        // answers three heartbeats, then freezes like a stopped process: the socket stays open and the kernel
        // keeps acknowledging the heartbeats, so only the missing answers give it away
        Script threePongs = Script.create();
        for (int i = 0; i < 3; i++) {
            threePongs = threePongs.expectLine("PING").sendLines("PONG");
        }
        ScriptedServer server = scripted(
                List.of(threePongs.stopReading().stall()), // frozen until the server closes after the test
                threePongs.close());
        List<String> received = new CopyOnWriteArrayList<>();
        client(config(server.port())
                        .handler((c, m) -> received.add(m))
                        .idle(IdlePolicy.readTimeout(Duration.ofMillis(500))
                                .withHeartbeat(Duration.ofMillis(100), () -> "PING"))
                        .build())
                .connect()
                .get(10, TimeUnit.SECONDS);
        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        assertInstanceOf(IdleTimeoutException.class, lost.cause().getCause());
        assertEquals(List.of("PONG", "PONG", "PONG"), received.subList(0, 3));
        Await.until(() -> server.acceptedCount() >= 2, WAIT, "a reconnect away from the frozen server");
        assertEquals(List.of(), server.connection(0).failures());
    }

    @Test
    void sendsDuringAnOutageArriveInOrderExactlyOnceAfterTheHook() throws Exception {
        Script login = Script.create().expectLine("LOGIN");
        ScriptedServer server = scripted(
                List.of(login.close()), // drops the first connection (FIN) once the hook's LOGIN is in
                login.stall());
        ClientConfig<String> config = config(server.port())
                .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(200)))
                .onConnect(connection -> connection.send("LOGIN"))
                .build();
        Connection<String> connection = client(config).connect().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("LOGIN"), server.awaitLines(0, 1, WAIT));

        events.await(DisconnectedEvent.class, WAIT);
        assertEquals(ConnectionState.RECONNECTING, connection.state());
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sends.add(connection.send("buffered " + i));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        List<String> lines = server.awaitLines(1, 101, WAIT);
        assertEquals("LOGIN", lines.get(0), "the hook's send goes first on the new connection");
        for (int i = 0; i < 100; i++) {
            assertEquals("buffered " + i, lines.get(1 + i));
        }
        assertEquals(List.of("LOGIN"), server.connection(0).receivedLines(), "exactly once");
        assertEquals(101, server.connection(1).receivedLines().size(), "exactly once");
        assertEquals(2, server.acceptedCount(), "exactly once");
        server.assertNoFailures();
    }

    @Test
    void aFullSendBufferFailsTheExtraSendsAndCloseFailsTheRest() throws Exception {
        ScriptedServer server = scripted(Script.create().close()); // drops each connection at once (FIN)
        ClientConfig<String> config = config(server.port())
                .reconnect(ReconnectPolicy.fixed(Duration.ofSeconds(30)))
                .sendBuffer(SendBuffer.bounded(3, 1024))
                .build();
        TetherClient<String> client = client(config);
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        events.await(ReconnectScheduledEvent.class, WAIT);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(connection.send("m" + i));
        }
        for (int i = 3; i < 5; i++) {
            ExecutionException e = assertThrows(ExecutionException.class, sends.get(i)::get);
            assertInstanceOf(SendRejectedException.class, e.getCause());
            assertTrue(
                    e.getCause().getMessage().contains("is full (3 messages, 9 bytes; limits 3 messages, 1024 bytes)"),
                    e.getCause().getMessage());
        }
        connection.close(); // disarms the 30 s timer: returns at once
        for (int i = 0; i < 3; i++) {
            ExecutionException e = assertThrows(ExecutionException.class, sends.get(i)::get);
            assertInstanceOf(ConnectionClosedException.class, e.getCause());
            assertTrue(
                    e.getCause().getMessage().startsWith("buffered send not written: "),
                    e.getCause().getMessage());
        }
        assertEquals(1, server.acceptedCount(), "no attempt after close");
        assertEquals(ConnectionState.CLOSED, connection.state());
    }

    @Test
    void rejectPolicyFailsSendsWhileDisconnected() throws Exception {
        ScriptedServer server = scripted(Script.create().close()); // drops each connection at once (FIN)
        ClientConfig<String> config = config(server.port())
                .reconnect(ReconnectPolicy.fixed(Duration.ofSeconds(30)))
                .sendBuffer(SendBuffer.disabled())
                .build();
        Connection<String> connection = client(config).connect().get(10, TimeUnit.SECONDS);
        events.await(ReconnectScheduledEvent.class, WAIT);
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> connection.send("x").get());
        assertInstanceOf(ConnectionClosedException.class, e.getCause());
        assertTrue(
                e.getCause().getMessage().contains("is reconnecting, and SendBuffer.disabled() rejects sends"),
                e.getCause().getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.tether.testing.TransportsHere#all")
    void keepAliveOptionsReachTheSocket(Transport transport) throws Exception {
        ScriptedServer server = scripted(Script.create().stall()); // reads until the client closes
        AtomicReference<Channel> channel = new AtomicReference<>();
        ClientConfig<String> config = config(server.port())
                .eventLoops(1, transport)
                .keepAlive(KeepAlive.of(Duration.ofSeconds(7), Duration.ofSeconds(2), 4))
                .addHandler(() -> new ChannelInboundHandlerAdapter() {
                    @Override
                    public void handlerAdded(ChannelHandlerContext ctx) {
                        channel.set(ctx.channel());
                    }
                })
                .build();
        TetherClient<String> client = client(config);
        assertEquals(transport, client.transport());
        client.connect().get(10, TimeUnit.SECONDS);
        ChannelConfig options = channel.get().config();
        assertEquals(Boolean.TRUE, options.getOption(ChannelOption.SO_KEEPALIVE));
        switch (transport) {
            case EPOLL -> {
                assertEquals(7, options.getOption(EpollChannelOption.TCP_KEEPIDLE));
                assertEquals(2, options.getOption(EpollChannelOption.TCP_KEEPINTVL));
                assertEquals(4, options.getOption(EpollChannelOption.TCP_KEEPCNT));
                assertEquals(15_000, options.getOption(EpollChannelOption.TCP_USER_TIMEOUT));
            }
            case IO_URING -> {
                assertEquals(7, options.getOption(IoUringChannelOption.TCP_KEEPIDLE));
                assertEquals(2, options.getOption(IoUringChannelOption.TCP_KEEPINTVL));
                assertEquals(4, options.getOption(IoUringChannelOption.TCP_KEEPCNT));
                assertEquals(15_000, options.getOption(IoUringChannelOption.TCP_USER_TIMEOUT));
            }
            default -> assertEquals(7, options.getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)));
        }
    }

    @Test
    void nioTransportWorksToo() throws Exception {
        ScriptedServer server = scripted(
                Script.create().expectLine("over nio").sendLines("over nio").stall()); // echoes one line
        TetherClient<String> client =
                client(config(server.port()).eventLoops(1, Transport.NIO).build());
        assertEquals(Transport.NIO, client.transport());
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        connection.send("over nio").get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("over nio"), connection.receive(WAIT));
        server.assertNoFailures();
    }
}
