/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Scripts what a {@link TestServer} does with each connection it accepts.
 *
 * <p>{@link #handle} runs on the connection's own thread; when it returns or throws, the server
 * closes the socket. Write through {@link TestServer.Session#write} so that bytes from
 * {@link TestServer#sendToAll} do not interleave with the behaviour's own. Every behaviour that
 * reads records what it read in {@link TestServer#receivedLines()} and {@link TestServer#receivedBytes()}.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(ServerBehavior.greetThenRead("HELLO\n"))) {
 *     // connect to server.port(), then:
 *     server.awaitReceivedLines(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ServerBehavior {

    /** Serves one accepted connection; {@code session} belongs to {@code socket}. */
    void handle(Socket socket, TestServer.Session session) throws IOException;

    /** Writes back every byte it reads, unchanged, until the client closes. */
    static ServerBehavior echo() {
        return (socket, session) -> {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                session.received(buffer, 0, n);
                session.write(Arrays.copyOf(buffer, n));
            }
        };
    }

    /** Reads and records lines until the client closes; never writes. */
    static ServerBehavior readLines() {
        return (socket, session) -> session.readUntilEof();
    }

    /** Writes {@code greeting} in UTF-8 exactly as given (include the {@code "\n"}), then reads lines until EOF. */
    static ServerBehavior greetThenRead(String greeting) {
        return send(greeting.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code bytes}, then closes cleanly with a FIN. It keeps draining input until the client
     * closes, because closing with unread input would send a RST instead.
     */
    static ServerBehavior greetThenClose(byte[] bytes) {
        byte[] copy = bytes.clone();
        return (socket, session) -> {
            session.write(copy);
            socket.shutdownOutput();
            session.readUntilEof();
        };
    }

    /** Closes every connection at once with a FIN, draining any input as {@link #greetThenClose} does. */
    static ServerBehavior closeOnAccept() {
        return greetThenClose(new byte[0]);
    }

    /** Writes an unfinished frame (no delimiter), then closes cleanly as {@link #greetThenClose} does. */
    static ServerBehavior closeMidFrame(byte[] partial) {
        return greetThenClose(partial);
    }

    /**
     * Accepts and then does nothing: never reads, so the client's writes eventually fill the TCP
     * window, and never writes. The socket stays open until the server closes or drops it.
     */
    static ServerBehavior stall() {
        return (socket, session) -> session.awaitDropped();
    }

    /** Writes {@code bytes}, then keeps the connection open, reading lines until the client closes. */
    static ServerBehavior send(byte[] bytes) {
        byte[] copy = bytes.clone();
        return (socket, session) -> {
            session.write(copy);
            session.readUntilEof();
        };
    }

    /** Same as {@link #send}; the name says that the bytes are not meant to decode. */
    static ServerBehavior sendGarbage(byte[] bytes) {
        return send(bytes);
    }

    /** Writes {@code length} bytes of {@code 'x'} and {@code "\n"}, then {@code "after\n"}, then reads lines. */
    static ServerBehavior sendOversizedFrame(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, was " + length);
        }
        byte[] frame = new byte[length + 1];
        Arrays.fill(frame, (byte) 'x');
        frame[length] = '\n';
        return (socket, session) -> {
            session.write(frame);
            session.write("after\n".getBytes(StandardCharsets.US_ASCII));
            session.readUntilEof();
        };
    }

    /** Aborts every connection at once with a RST (SO_LINGER 0); the client sees "Connection reset". */
    static ServerBehavior resetConnection() {
        return resetAfter(new byte[0]);
    }

    /**
     * Writes {@code bytes}, then aborts with a RST. The client may or may not read the bytes before
     * it sees the reset: that depends on its timing, not ours.
     */
    static ServerBehavior resetAfter(byte[] bytes) {
        byte[] copy = bytes.clone();
        return (socket, session) -> {
            session.write(copy);
            socket.setSoLinger(true, 0);
            socket.close();
        };
    }

    /**
     * Waits for the client's first byte, then writes {@code bytes} and aborts with a RST: the reset cannot race the
     * client's connect, and it lands right behind the data.
     */
    static ServerBehavior resetAfterFirstByte(byte[] bytes) {
        ServerBehavior reset = resetAfter(bytes);
        return (socket, session) -> {
            socket.getInputStream().read();
            reset.handle(socket, session);
        };
    }

    /**
     * Does nothing for {@code delay} after accepting, then behaves as {@code then}.
     *
     * <p>The kernel completes the TCP handshake before the server thread sees the connection, so the
     * client's connect succeeds at once; only reads and writes are delayed. To make a connect attempt
     * itself fail or hang, use the client's {@code Connector} seam.
     */
    static ServerBehavior acceptAfter(Duration delay, ServerBehavior then) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(then, "then");
        return (socket, session) -> {
            if (!session.awaitDropped(delay)) {
                then.handle(socket, session);
            }
        };
    }
}
