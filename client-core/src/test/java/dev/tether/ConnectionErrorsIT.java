/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong on one connection, and what the client says about it, over loopback sockets: connects that fail,
 * a peer that resets or closes, and bytes that are not valid frames, each reported with the address and the cause.
 */
class ConnectionErrorsIT extends ClientFixture {
    ConnectionErrorsIT() {
        // each failure ends the one channel it happens on; what reconnecting makes of it is ReconnectIT's subject
        super("err", ReconnectPolicy.disabled());
    }

    @Test
    void refusedConnectionFailsNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable e = failure(client(config(port).build()).connect());
        assertInstanceOf(ConnectFailedException.class, e);
        assertEquals("connect to 127.0.0.1:" + port + " failed: Connection refused", e.getMessage());
        assertInstanceOf(ConnectException.class, e.getCause());
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
        assertInstanceOf(UnknownHostException.class, e.getCause());
    }

    @Test
    void connectTimeoutFailsNamingTheAddressAndTheTimeout() throws Exception {
        // A listener with a full accept queue drops SYNs, so the handshake never completes.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                    } catch (IOException queueFull) {
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
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void joinOfAFailedConnectCarriesTheDiagnosis() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CompletableFuture<Connection<String>> future =
                client(config(port).build()).connect();
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(ConnectFailedException.class, e.getCause());
    }

    @Test
    void peerResetIsReportedNamingTheAddressAndFailsLaterSends() throws Exception {
        ScriptedServer server =
                scripted(Script.create().expectLine("go").send("one\n").reset());
        Connection<String> connection = connect(client(config(server.port()).build()));
        connection.send("go");
        assertEquals(Optional.of("one"), connection.receive(WAIT));
        DisconnectedEvent lost = events.await(DisconnectedEvent.class, WAIT);
        String expected = "connection " + connection.id() + " to 127.0.0.1:" + server.port() + " was reset by the peer";
        assertEquals(expected, lost.cause().getMessage());
        assertInstanceOf(IOException.class, lost.cause().getCause());
        assertEquals(ConnectionClosedException.Reason.FAILURE, lost.cause().reason());
        Throwable e = failure(connection.send("late"));
        assertInstanceOf(ConnectionClosedException.class, e);
        assertEquals("cannot send: " + expected, e.getMessage());
        assertEquals(Optional.empty(), connection.receive(Duration.ZERO));
        server.assertNoFailures();
    }

    @Test
    void peerCloseEndsTheConnectionAfterDeliveringWhatArrived() throws Exception {
        ScriptedServer server = scripted(Script.create().send("last words\n").close());
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
        ScriptedServer server = scripted(Script.create().send("whole\nhal").close());
        Connection<String> connection = connect(client(config(server.port()).build()));
        connection.closeFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("whole"), connection.receive(WAIT));
        assertEquals(Optional.empty(), connection.receive(Duration.ZERO));
    }

    @Test
    void overlongLineIsDroppedReportedAndTheStreamRecovers() throws Exception {
        ScriptedServer server =
                scripted(Script.create().send("x".repeat(5000) + "\n").send("after\n"));
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
        ScriptedServer server =
                scripted(Script.create().send(new byte[] {'a', (byte) 0xFF, 'b', '\n', 'o', 'k', '\n'}));
        Connection<String> connection = connect(client(config(server.port()).build()));
        assertEquals(Optional.of("a\uFFFDb"), connection.receive(WAIT));
        assertEquals(Optional.of("ok"), connection.receive(WAIT));
    }

    @Test
    void strictTextDropsAnInvalidFrameAndKeepsTheRest() throws Exception {
        ScriptedServer server =
                scripted(Script.create().send(new byte[] {'a', (byte) 0xFF, 'b', '\n', 'o', 'k', '\n'}));
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
        ScriptedServer server = scripted(Script.create().send(garbage));
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
        connection.closeFuture().get(10, TimeUnit.SECONDS); // the state turns CLOSED after the listener hears of it
        assertEquals(ConnectionState.CLOSED, connection.state());
    }

    @Test
    void overLimitLengthPrefixClosesTheConnection() throws Exception {
        ScriptedServer server = scripted(Script.create().send(new byte[] {0x7F, 0, 0, 0, 'x'}));
        Connection<String> connection = connect(client(
                config(server.port()).framing(Framing.lengthField(4, 1024)).build()));
        connection.closeFuture().get(10, TimeUnit.SECONDS);
        ConnectionClosedException cause =
                events.await(DisconnectedEvent.class, WAIT).cause();
        assertInstanceOf(FrameTooLongException.class, cause.getCause());
        assertTrue(cause.getMessage().contains("frame of 2130706432 bytes, over maxLength 1024"), cause.getMessage());
    }
}
