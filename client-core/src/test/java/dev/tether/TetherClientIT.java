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
import dev.tether.testing.Await;
import dev.tether.testing.RecordingListener;
import dev.tether.testing.Resources;
import dev.tether.testing.ServerBehavior;
import dev.tether.testing.TestServer;
import dev.tether.testing.Threads;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client end to end, over loopback sockets, against a plain-JDK {@link TestServer}. */
class TetherClientIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingListener events = new RecordingListener();
    private final Resources resources = new Resources();
    private String name; // of the last client configured

    @AfterEach
    void tearDown() throws Exception {
        resources.closeAll();
    }

    private TestServer server(ServerBehavior behavior) throws Exception {
        return resources.track(TestServer.start(behavior));
    }

    private <T> ClientConfig.Builder<T> config(ClientConfig.Builder<T> builder, int port) {
        name = resources.clientName("it");
        // these tests are about one channel's life; reconnecting is ResilienceIT's subject
        return builder.remoteAddress("127.0.0.1", port)
                .name(name)
                .listener(events)
                .reconnect(ReconnectPolicy.disabled());
    }

    private ClientConfig.Builder<String> config(int port) {
        return config(ClientConfig.builder(), port);
    }

    private <T> TetherClient<T> client(ClientConfig<T> config) {
        return resources.track(TetherClient.create(config));
    }

    private static <T> Connection<T> connect(TetherClient<T> client) throws Exception {
        return client.connect().get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void receivesAGreetingAndSendsALine() throws Exception {
        TestServer server = server(ServerBehavior.greetThenRead("Hello from the server\r\n"));
        TetherClient<String> client = client(config(server.port()).build());
        Connection<String> connection = connect(client);

        assertEquals(Optional.of("Hello from the server"), connection.receive(WAIT));
        connection.send("Hello, server!").get(10, TimeUnit.SECONDS);
        assertEquals(List.of("Hello, server!"), server.awaitReceivedLines(1, WAIT));

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
        TestServer server = server(ServerBehavior.send(lines.toString().getBytes(UTF_8)));
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
        TestServer server = server(ServerBehavior.send(lines.toString().getBytes(UTF_8)));
        Connection<String> connection =
                connect(client(config(server.port()).inboxCapacity(8).build()));
        for (int i = 0; i < count; i++) {
            assertEquals(Optional.of(String.valueOf(i)), connection.receive(WAIT));
        }
    }

    @Test
    void refusedConnectionFailsNamingTheAddress() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable e = failure(client(config(port).build()).connect());
        assertInstanceOf(ConnectFailedException.class, e);
        assertEquals("connect to 127.0.0.1:" + port + " failed: Connection refused", e.getMessage());
        assertInstanceOf(java.net.ConnectException.class, e.getCause());
        // issue 10: ClosedEvent ends every connection, opened or not; the failure itself is in the future
        assertEquals(List.of("ClosedEvent"), events.kinds());
    }

    @Test
    void unknownHostFailsNamingTheHost() throws Exception {
        ClientConfig<String> config =
                config(9000).remoteAddress("no-such-host.invalid", 9000).build();
        Throwable e = failure(client(config).connect());
        assertInstanceOf(ConnectFailedException.class, e);
        assertEquals("connect to no-such-host.invalid:9000 failed: unknown host no-such-host.invalid", e.getMessage());
        assertInstanceOf(java.net.UnknownHostException.class, e.getCause());
    }

    @Test
    void resolvesAHostName() throws Exception {
        TestServer server = server(ServerBehavior.greetThenRead("hi\n"));
        Connection<String> connection = connect(client(
                config(server.port()).remoteAddress("localhost", server.port()).build()));
        assertEquals(Optional.of("hi"), connection.receive(WAIT));
        assertTrue(connection.remoteAddress().getAddress().isLoopbackAddress());
    }

    @Test
    void connectTimeoutFailsNamingTheAddressAndTheTimeout() throws Exception {
        // A listener with a full accept queue drops SYNs, so the handshake never completes.
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    java.net.Socket s = new java.net.Socket();
                    fillers.add(s);
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                    } catch (java.io.IOException queueFull) {
                        break;
                    }
                }
                int port = full.getLocalPort();
                ClientConfig<String> config =
                        config(port).connectTimeout(Duration.ofMillis(300)).build();
                Throwable e = failure(client(config).connect());
                assertInstanceOf(ConnectFailedException.class, e);
                assertEquals("connect to 127.0.0.1:" + port + " timed out after 300 ms", e.getMessage());
            } finally {
                for (java.net.Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void peerResetIsReportedNamingTheAddressAndFailsLaterSends() throws Exception {
        TestServer server = server(ServerBehavior.resetAfterFirstByte("one\n".getBytes(UTF_8)));
        Connection<String> connection = connect(client(config(server.port()).build()));
        connection.send("go");
        assertEquals(Optional.of("one"), connection.receive(WAIT));
        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        String expected = "connection " + connection.id() + " to 127.0.0.1:" + server.port() + " was reset by the peer";
        assertEquals(expected, lost.cause().getMessage());
        assertInstanceOf(java.io.IOException.class, lost.cause().getCause());
        assertEquals(ConnectionClosedException.Reason.FAILURE, lost.cause().reason());
        Throwable e = failure(connection.send("late"));
        assertInstanceOf(ConnectionClosedException.class, e);
        assertEquals("cannot send: " + expected, e.getMessage());
        assertEquals(Optional.empty(), connection.receive(Duration.ZERO));
    }

    @Test
    void peerCloseEndsTheConnectionAfterDeliveringWhatArrived() throws Exception {
        TestServer server = server(ServerBehavior.greetThenClose("last words\n".getBytes(UTF_8)));
        Connection<String> connection = connect(client(config(server.port()).build()));
        connection.closeFuture().get(10, TimeUnit.SECONDS);
        assertEquals(ConnectionState.CLOSED, connection.state());
        assertFalse(connection.isOpen());
        assertEquals(Optional.of("last words"), connection.receive(WAIT));
        assertEquals(Optional.empty(), connection.receive(WAIT), "closed and drained: returns at once");
        assertTrue(events.events(DisconnectedEvent.class)
                .get(0)
                .cause()
                .getMessage()
                .endsWith("was closed by the peer"));
        assertEquals(List.of("ConnectedEvent", "DisconnectedEvent", "ClosedEvent"), events.kinds());
    }

    @Test
    void halfAFrameAtCloseIsNeverDelivered() throws Exception {
        TestServer server = server(ServerBehavior.closeMidFrame("whole\nhal".getBytes(UTF_8)));
        Connection<String> connection = connect(client(config(server.port()).build()));
        connection.closeFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("whole"), connection.receive(WAIT));
        assertEquals(Optional.empty(), connection.receive(Duration.ZERO));
    }

    @Test
    void overlongLineIsDroppedReportedAndTheStreamRecovers() throws Exception {
        TestServer server = server(ServerBehavior.sendOversizedFrame(5000));
        Connection<String> connection = connect(
                client(config(server.port()).framing(Framing.lines(1024)).build()));
        assertEquals(Optional.of("after"), connection.receive(WAIT));
        FrameDroppedEvent dropped = events.await(FrameDroppedEvent.class, WAIT);
        FrameTooLongException e = assertInstanceOf(FrameTooLongException.class, dropped.cause());
        assertEquals(5000, e.length());
        assertEquals(1024, e.maxLength());
        assertTrue(connection.isOpen());
    }

    @Test
    void invalidUtf8BecomesTheReplacementCharacterByDefault() throws Exception {
        TestServer server = server(ServerBehavior.send(new byte[] {'a', (byte) 0xFF, 'b', '\n', 'o', 'k', '\n'}));
        Connection<String> connection = connect(client(config(server.port()).build()));
        assertEquals(Optional.of("a\uFFFDb"), connection.receive(WAIT));
        assertEquals(Optional.of("ok"), connection.receive(WAIT));
    }

    @Test
    void strictTextDropsAnInvalidFrameAndKeepsTheRest() throws Exception {
        TestServer server = server(ServerBehavior.send(new byte[] {'a', (byte) 0xFF, 'b', '\n', 'o', 'k', '\n'}));
        ClientConfig<String> config = config(ClientConfig.builder(Codec.strictText(UTF_8)), server.port())
                .build();
        Connection<String> connection = connect(client(config));
        assertEquals(Optional.of("ok"), connection.receive(WAIT));
        FrameDroppedEvent dropped = events.await(FrameDroppedEvent.class, WAIT);
        assertEquals(
                "invalid UTF-8 at byte 1 of a 3-byte frame; dropped it",
                dropped.cause().getMessage());
        assertTrue(connection.isOpen());
    }

    @Test
    void garbageLengthPrefixClosesTheConnectionWithAClearCause() throws Exception {
        byte[] garbage = {0, 0, 0, 2, 'o', 'k', (byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 'x'};
        TestServer server = server(ServerBehavior.sendGarbage(garbage));
        Connection<String> connection = connect(client(
                config(server.port()).framing(Framing.lengthField(4, 1024)).build()));
        assertEquals(Optional.of("ok"), connection.receive(WAIT));
        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        assertEquals(
                "connection " + connection.id() + " to 127.0.0.1:" + server.port()
                        + " closed after a protocol error: length prefix is negative (-559038737): the stream is corrupt",
                lost.cause().getMessage());
        assertInstanceOf(MalformedFrameException.class, lost.cause().getCause());
        assertEquals(ConnectionClosedException.Reason.FAILURE, lost.cause().reason());
        assertEquals(ConnectionState.CLOSED, connection.state());
    }

    @Test
    void overLimitLengthPrefixClosesTheConnection() throws Exception {
        TestServer server = server(ServerBehavior.sendGarbage(new byte[] {0x7F, 0, 0, 0, 'x'}));
        Connection<String> connection = connect(client(
                config(server.port()).framing(Framing.lengthField(4, 1024)).build()));
        connection.closeFuture().get(10, TimeUnit.SECONDS);
        ConnectionClosedException cause =
                events.await(DisconnectedEvent.class, WAIT).cause();
        assertInstanceOf(FrameTooLongException.class, cause.getCause());
        assertTrue(cause.getMessage().contains("frame of 2130706432 bytes, over maxLength 1024"), cause.getMessage());
    }

    @Test
    void lengthPrefixedMessagesRoundTrip() throws Exception {
        TestServer server = server(ServerBehavior.echo());
        ClientConfig<byte[]> config = config(ClientConfig.builder(Codec.bytes()), server.port())
                .framing(Framing.lengthField(2, 1000))
                .build();
        Connection<byte[]> connection = connect(client(config));
        connection.send(new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
        connection.send(new byte[0]).get(10, TimeUnit.SECONDS);
        assertEquals(
                "[1, 2, 3]", java.util.Arrays.toString(connection.receive(WAIT).orElseThrow()));
        assertEquals(0, connection.receive(WAIT).orElseThrow().length);
        Throwable e = failure(connection.send(new byte[1001]));
        assertInstanceOf(FrameTooLongException.class, e);
    }

    @Test
    void closeFlushesEverySendFirst() throws Exception {
        TestServer server = server(ServerBehavior.readLines());
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
        List<String> lines = server.awaitReceivedLines(2000, WAIT);
        assertEquals("message 1999", lines.get(1999));
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailClearly() throws Exception {
        TestServer server = server(ServerBehavior.readLines());
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
        TestServer server = server(ServerBehavior.echo());
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
        TestServer server = server(ServerBehavior.echo());
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
        TestServer server = server(ServerBehavior.greetThenRead("go\n"));
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
        assertEquals(List.of("reply"), server.awaitReceivedLines(1, WAIT), "the send itself still went out");
    }

    @Test
    void aThrowingHandlerOrListenerDoesNotStopDelivery() throws Exception {
        TestServer server = server(ServerBehavior.send("boom\nfine\n".getBytes(UTF_8)));
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
        TestServer server = server(ServerBehavior.echo());
        AtomicInteger created = new AtomicInteger();
        ClientConfig<String> config = config(server.port())
                .addHandler(() -> {
                    created.incrementAndGet();
                    return new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.fireChannelRead(((String) msg).toUpperCase(java.util.Locale.ROOT));
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
        TestServer server = server(ServerBehavior.readLines());
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
        TestServer server = server(ServerBehavior.echo());
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

    @Test
    void joinOfAFailedConnectCarriesTheDiagnosis() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CompletableFuture<Connection<String>> future =
                client(config(port).build()).connect();
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(ConnectFailedException.class, e.getCause());
    }
}
