/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testing.Threads;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The client end to end, over loopback sockets, against a plain-JDK {@link ScriptedServer}: connect, send, receive and
 * close, handlers and event loops, and messages in length-prefixed and raw framing. What goes wrong on the wire is
 * {@link ConnectionErrorsIT}'s subject.
 */
class TetherClientIT extends ClientFixture {
    TetherClientIT() {
        // these tests are about one channel's life; reconnecting is ReconnectIT's subject
        super("it", ReconnectPolicy.disabled());
    }

    @Test
    void receivesAGreetingAndSendsALine() throws Exception {
        ScriptedServer server = scripted(Script.create().send("Hello from the server\r\n"));
        TetherClient<String> client = client(config(server.port()).build());
        Connection<String> connection = connect(client);

        assertEquals(Optional.of("Hello from the server"), connection.receive(WAIT));
        connection.send("Hello, server!").get(10, TimeUnit.SECONDS);
        assertEquals(List.of("Hello, server!"), server.awaitLines(0, 1, WAIT));
        assertEquals(1, server.acceptedCount());

        assertEquals(ConnectionState.CONNECTED, connection.state());
        assertEquals(server.port(), connection.remoteAddress().getPort());
        assertTrue(connection.id().startsWith(name + "#"));
        client.close();
        assertEquals(ConnectionState.CLOSED, connection.state());
        assertEquals(List.of("ConnectedEvent", "DisconnectedEvent", "ClosedEvent"), events.kinds());
        ConnectionClosedException cause =
                events.events(DisconnectedEvent.class).get(0).cause();
        assertTrue(cause.getMessage().endsWith("closed by the application"), cause.getMessage());
        assertEquals(ConnectionClosedException.Reason.APPLICATION, cause.reason());
    }

    @Test
    void handlerReceivesEveryLineInOrder() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            lines.append("line ").append(i).append('\n');
        }
        ScriptedServer server = scripted(Script.create().send(lines.toString()));
        List<String> received = new CopyOnWriteArrayList<>();
        client(config(server.port()).handler((c, m) -> received.add(m)).build()).connect();
        Await.until(() -> received.size() == 5000, WAIT, "5000 lines, have " + received.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals("line " + i, received.get(i));
        }
    }

    @Test
    void pullReceiveWithASmallInboxLosesNothingUnderBackpressure() throws Exception {
        int count = 20_000;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append(i).append('\n');
        }
        ScriptedServer server = scripted(Script.create().send(lines.toString()));
        Connection<String> connection =
                connect(client(config(server.port()).inboxCapacity(8).build()));
        for (int i = 0; i < count; i++) {
            assertEquals(Optional.of(String.valueOf(i)), connection.receive(WAIT));
        }
    }

    @Test
    void resolvesAHostName() throws Exception {
        ScriptedServer server = scripted(Script.create().send("hi\n"));
        Connection<String> connection = connect(client(
                config(server.port()).remoteAddress("localhost", server.port()).build()));
        assertEquals(Optional.of("hi"), connection.receive(WAIT));
        assertTrue(connection.remoteAddress().getAddress().isLoopbackAddress());
    }

    @Test
    void lengthPrefixedMessagesRoundTrip() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        ClientConfig<byte[]> config = config(ClientConfig.builder(Codec.bytes()), server.port())
                .framing(Framing.lengthField(2, 1000))
                .build();
        Connection<byte[]> connection = connect(client(config));
        connection.send(new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
        connection.send(new byte[0]).get(10, TimeUnit.SECONDS);
        assertEquals("[1, 2, 3]", Arrays.toString(connection.receive(WAIT).orElseThrow()));
        assertEquals(0, connection.receive(WAIT).orElseThrow().length);
        Throwable e = failure(connection.send(new byte[1001]));
        assertInstanceOf(FrameTooLongException.class, e);
    }

    @Test
    void closeFlushesEverySendFirst() throws Exception {
        ScriptedServer server = scripted(Script.create());
        TetherClient<String> client = client(config(server.port()).build());
        Connection<String> connection = connect(client);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sends.add(connection.send("message " + i));
        }
        connection.close();
        for (CompletableFuture<Void> send : sends) {
            assertTrue(send.isDone() && !send.isCompletedExceptionally());
        }
        List<String> lines = server.awaitLines(0, 2000, WAIT);
        assertEquals("message 1999", lines.get(1999));
        assertEquals(1, server.acceptedCount());
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailClearly() throws Exception {
        ScriptedServer server = scripted(Script.create());
        TetherClient<String> client = client(config(server.port()).build());
        Connection<String> connection = connect(client);
        CompletableFuture<Void> first = client.closeAsync();
        assertSame(first, client.closeAsync());
        first.get(10, TimeUnit.SECONDS);
        client.close();
        assertTrue(client.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, client::connect);
        assertEquals("client " + name + " is closed; create a new one to connect", e.getMessage());
        Throwable send = failure(connection.send("after close"));
        assertEquals(
                "cannot send: connection " + connection.id() + " to 127.0.0.1:" + server.port()
                        + " was closed by the application",
                send.getMessage());
        assertEquals(1, events.events(ClosedEvent.class).size(), "onClosed exactly once");
        Threads.awaitNone(name + "-", WAIT);
    }

    @Test
    void closingAConnectionLeavesTheClientUsable() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        TetherClient<String> client = client(config(server.port()).build());
        Connection<String> first = connect(client);
        first.close();
        first.close();
        Connection<String> second = connect(client);
        second.send("still here").get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("still here"), second.receive(WAIT));
        assertEquals(2, server.acceptedCount());
    }

    @Test
    void aCallersEventLoopGroupIsUsedButNeverShutDown() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            TetherClient<String> client =
                    client(config(server.port()).eventLoopGroup(group).build());
            Connection<String> connection = connect(client);
            connection.send("shared").get(10, TimeUnit.SECONDS);
            assertEquals(Optional.of("shared"), connection.receive(WAIT));
            client.close();
            assertFalse(group.isShuttingDown());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void blockingOnAFutureFromTheIoThreadThrowsInsteadOfDeadlocking() throws Exception {
        ScriptedServer server = scripted(Script.create().send("go\n"));
        AtomicReference<Throwable> seen = new AtomicReference<>();
        ClientConfig<String> config = config(server.port())
                .handler((connection, message) -> {
                    connection.send("reply");
                    try {
                        connection.closeFuture().join(); // cannot complete while this thread waits
                    } catch (Throwable t) {
                        seen.set(t);
                    }
                })
                .build();
        connect(client(config));
        Await.until(() -> seen.get() != null, WAIT, "the handler to try to block");
        assertInstanceOf(IllegalStateException.class, seen.get());
        assertTrue(
                seen.get().getMessage().contains("would block I/O thread " + name + "-io-1"),
                seen.get().getMessage());
        assertEquals(List.of("reply"), server.awaitLines(0, 1, WAIT), "the send itself still went out");
        assertEquals(1, server.acceptedCount());
    }

    @Test
    void aThrowingHandlerOrListenerDoesNotStopDelivery() throws Exception {
        ScriptedServer server = scripted(Script.create().send("boom\nfine\n"));
        List<String> received = new CopyOnWriteArrayList<>();
        ConnectionListener hostile = new ConnectionListener() {
            @Override
            public void onConnected(ConnectedEvent event) {
                throw new IllegalStateException("listener bug");
            }
        };
        ClientConfig<String> config = config(server.port())
                .listener(hostile)
                .handler((connection, message) -> {
                    received.add(message);
                    if (message.equals("boom")) {
                        throw new IllegalStateException("handler bug");
                    }
                })
                .build();
        Connection<String> connection = connect(client(config));
        Await.until(() -> received.size() == 2, WAIT, "both lines, have " + received);
        assertEquals(List.of("boom", "fine"), received);
        assertTrue(connection.isOpen());
    }

    @Test
    void userHandlersAreCreatedPerChannelAndSitBeforeTheDispatcher() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        AtomicInteger created = new AtomicInteger();
        ClientConfig<String> config = config(server.port())
                .addHandler(() -> {
                    created.incrementAndGet();
                    return new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.fireChannelRead(((String) msg).toUpperCase(Locale.ROOT));
                        }
                    };
                })
                .build();
        TetherClient<String> client = client(config);
        for (int i = 0; i < 2; i++) {
            Connection<String> connection = connect(client);
            connection.send("shout").get(10, TimeUnit.SECONDS);
            assertEquals(Optional.of("SHOUT"), connection.receive(WAIT));
        }
        assertEquals(2, created.get());
    }

    @Test
    void receiveIsRefusedWhenAHandlerIsSetAndValidatesItsTimeout() throws Exception {
        ScriptedServer server = scripted(Script.create());
        Connection<String> withHandler =
                connect(client(config(server.port()).handler((c, m) -> {}).build()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> withHandler.receive(WAIT));
        assertTrue(e.getMessage().startsWith("receive(timeout) is not available on connection"), e.getMessage());
        Connection<String> pulling = connect(client(config(server.port()).build()));
        assertThrows(IllegalArgumentException.class, () -> pulling.receive(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> pulling.send(null));
    }

    @Test
    void rawFramingDeliversBytesAsTheyCome() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        ClientConfig<byte[]> config = config(ClientConfig.builder(Codec.bytes()), server.port())
                .framing(Framing.raw())
                .build();
        Connection<byte[]> connection = connect(client(config));
        connection.send("no framing".getBytes(UTF_8)).get(10, TimeUnit.SECONDS);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < 10) {
            got.writeBytes(connection.receive(WAIT).orElseThrow());
        }
        assertEquals("no framing", got.toString(UTF_8));
    }
}
