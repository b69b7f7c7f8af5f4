/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ScriptedServer} saw on one accepted connection: the bytes and lines the client sent, when they
 * arrived, whether the client closed its side, and the script's failures.
 *
 * <p>The server's connection thread updates it while the test reads it; every method returns a snapshot and may be
 * called from any thread. Lines are the received bytes split on {@code \n}, decoded as UTF-8, without the
 * {@code \n} or a {@code \r} before it; they are recorded whatever the script's steps read, so a frame-based
 * protocol yields meaningless lines.
 *
 * <pre>{@code
 * ServerConnection first = server.awaitConnections(1, Duration.ofSeconds(5)).get(0);
 * assertEquals(List.of("SUBSCRIBE prices"), server.awaitLines(0, 1, Duration.ofSeconds(5)));
 * Instant when = first.lines().get(0).receivedAt();
 * }</pre>
 *
 * @since 0.1
 */
public final class ServerConnection {
    private final int index;
    private final InetSocketAddress remoteAddress;
    private final Instant acceptedAt;
    // all guarded by "this": the connection thread writes, test threads read
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Chunk> chunks = new ArrayList<>();
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    private final List<Line> lines = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private boolean endOfStream;
    private String handshakeFailure; // null: none
    private Instant closedAt;

    ServerConnection(int index, InetSocketAddress remoteAddress, Instant acceptedAt) {
        this.index = index;
        this.remoteAddress = remoteAddress;
        this.acceptedAt = acceptedAt;
    }

    /**
     * Returns this connection's position in accept order, starting at 0; connections reset through
     * {@link ScriptedServer#resetNext(int)} count too.
     *
     * @return the index
     */
    public int index() {
        return index;
    }

    /**
     * Returns the client's address and port, as the server saw it.
     *
     * @return the remote address
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Returns when the server accepted the connection.
     *
     * @return the accept time
     */
    public Instant acceptedAt() {
        return acceptedAt;
    }

    /**
     * Returns a copy of every byte received so far, in order.
     *
     * @return the bytes; empty if none
     */
    public synchronized byte[] receivedBytes() {
        return bytes.toByteArray();
    }

    /**
     * Returns the received bytes as the socket reads delivered them, each with its arrival time.
     *
     * @return the chunks, oldest first; empty if none
     */
    public synchronized List<Chunk> chunks() {
        return List.copyOf(chunks);
    }

    /**
     * Returns the complete lines received so far (see the class comment for how lines are cut).
     *
     * @return the lines, oldest first; empty if none
     */
    public synchronized List<String> receivedLines() {
        return lines.stream().map(Line::text).toList();
    }

    /**
     * Returns the complete lines received so far, each with the time its {@code \n} arrived.
     *
     * @return the lines, oldest first; empty if none
     */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /**
     * Returns true once the server read the end of the stream, meaning the client closed or shut down its output.
     * A script that stopped reading never sees it.
     *
     * @return whether the client's side has ended
     */
    public synchronized boolean receivedEndOfStream() {
        return endOfStream;
    }

    /**
     * Returns when the server closed its socket for this connection, or empty while it is open.
     *
     * @return the close time, if closed
     */
    public synchronized Optional<Instant> closedAt() {
        return Optional.ofNullable(closedAt);
    }

    /**
     * Returns why the TLS handshake of this connection failed, for a {@link ScriptedServer#startTls TLS server}: the
     * server's exception, for example {@code "javax.net.ssl.SSLHandshakeException: Empty client certificate chain"}.
     * A failed handshake ends the connection before its script runs; it is not a failure of the script.
     *
     * @return the handshake's failure, or empty if it succeeded, has not happened, or the server is plain TCP
     */
    public synchronized Optional<String> handshakeFailure() {
        return Optional.ofNullable(handshakeFailure);
    }

    /**
     * Returns the failures recorded for this connection: each names the connection, the step and the difference.
     *
     * @return the failure messages, oldest first; empty if none
     */
    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public synchronized String toString() {
        return "ServerConnection#" + index + "[from " + remoteAddress + ", " + bytes.size() + " bytes, " + lines.size()
                + " lines, " + failures.size() + " failures" + (closedAt == null ? ", open]" : ", closed]");
    }

    synchronized void received(byte[] buffer, int offset, int length) {
        Instant now = Instant.now();
        bytes.write(buffer, offset, length);
        byte[] copy = new byte[length];
        System.arraycopy(buffer, offset, copy, 0, length);
        chunks.add(new Chunk(copy, now));
        for (int i = offset; i < offset + length; i++) {
            if (buffer[i] != '\n') {
                partialLine.write(buffer[i]);
                continue;
            }
            String line = partialLine.toString(StandardCharsets.UTF_8);
            lines.add(new Line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, now));
            partialLine.reset();
        }
    }

    synchronized void endOfStream() {
        endOfStream = true;
    }

    synchronized void handshakeFailed(String failure) {
        handshakeFailure = failure;
    }

    synchronized void fail(String message) {
        failures.add(message);
    }

    synchronized void closed() {
        if (closedAt == null) {
            closedAt = Instant.now();
        }
    }

    /**
     * One complete line received from the client.
     *
     * @param text the line, without {@code \n} and a {@code \r} before it
     * @param receivedAt when the server read the line's {@code \n}
     * @since 0.1
     */
    public record Line(String text, Instant receivedAt) {
        /**
         * Checks the components.
         *
         * @param text the line, without {@code \n} and a {@code \r} before it
         * @param receivedAt when the server read the line's {@code \n}
         * @throws NullPointerException if a component is null
         */
        public Line {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }
    }

    /**
     * Bytes that one socket read returned.
     *
     * @since 0.1
     */
    public static final class Chunk {
        private final byte[] bytes;
        private final Instant receivedAt;

        Chunk(byte[] bytes, Instant receivedAt) {
            this.bytes = bytes;
            this.receivedAt = receivedAt;
        }

        /**
         * Returns a copy of the bytes.
         *
         * @return the bytes, never empty
         */
        public byte[] bytes() {
            return bytes.clone();
        }

        /**
         * Returns when the read returned.
         *
         * @return the arrival time
         */
        public Instant receivedAt() {
            return receivedAt;
        }

        @Override
        public String toString() {
            return "Chunk[" + Diff.bytes(bytes) + " at " + receivedAt + "]";
        }
    }
}
