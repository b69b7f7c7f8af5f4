/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark's line server on {@code 127.0.0.1}, port 0: every connection it accepts gets the same {@code
 * messages} lines of {@code lineBytes} bytes each, then a clean close.
 *
 * <p>Line {@code i} (from 0) is its sequence number in {@value #DIGITS} zero-padded digits, a space, {@code x}s, and
 * {@code \n}. The lines are written from one prebuilt chunk of {@code 10^k} lines per connection, of which only the
 * leading digits (the chunk's number) change from one chunk to the next, so that the feed costs a few byte stores per
 * line and a write per chunk, and does not limit what it measures. Plain JDK sockets: one daemon thread accepts, one
 * daemon thread per connection writes.
 */
final class BenchFeed implements AutoCloseable {
    static final int DIGITS = 10;
    static final int MIN_LINE_BYTES = DIGITS + 2;
    static final int MAX_LINE_BYTES = 64 * 1024;
    static final long MAX_MESSAGES = 9_999_999_999L;
    private static final int CHUNK_BYTES = 1 << 20;

    private final ServerSocket server;
    private final long messages;
    private final int lineBytes;
    private final Thread acceptor;

    private BenchFeed(ServerSocket server, long messages, int lineBytes) {
        this.server = server;
        this.messages = messages;
        this.lineBytes = lineBytes;
        this.acceptor = new Thread(this::acceptAll, "tether-bench-feed-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts a feed.
     *
     * @param messages lines per connection, 0 to {@value #MAX_MESSAGES}
     * @param lineBytes bytes per line, its {@code \n} included, {@value #MIN_LINE_BYTES} to {@value #MAX_LINE_BYTES}
     * @return the running feed
     * @throws IOException if it cannot bind
     */
    static BenchFeed start(long messages, int lineBytes) throws IOException {
        if (messages < 0 || messages > MAX_MESSAGES) {
            throw new IllegalArgumentException("messages must be 0 to " + MAX_MESSAGES + ", was " + messages);
        }
        if (lineBytes < MIN_LINE_BYTES || lineBytes > MAX_LINE_BYTES) {
            throw new IllegalArgumentException(
                    "lineBytes must be " + MIN_LINE_BYTES + " to " + MAX_LINE_BYTES + ", was " + lineBytes);
        }
        BenchFeed feed = new BenchFeed(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), messages, lineBytes);
        feed.acceptor.start();
        return feed;
    }

    /** Returns where the feed listens, as {@code 127.0.0.1:port}. */
    String endpoint() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    String host() {
        return server.getInetAddress().getHostAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * Writes {@code lines} lines of this feed's format to nowhere, so that the JIT has compiled the writing loop
     * before the first measurement: interpreted, it would be the bottleneck of the first run.
     */
    void warmUp(long lines) throws IOException {
        write(OutputStream.nullOutputStream(), lines);
    }

    /** Stops accepting; connections being served run to their end (or until their reader goes away). */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing to recover: the socket is being thrown away
        }
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread writer = new Thread(() -> serve(socket), "tether-bench-feed-" + socket.getPort());
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void serve(Socket socket) {
        try (socket;
                OutputStream out = socket.getOutputStream()) {
            write(out);
            out.flush();
            // FIN after the last byte: both sources take it as the end of the stream
            socket.shutdownOutput();
        } catch (IOException e) {
            // the reader went away (a failed or killed run): that run is reported invalid by its count
        }
    }

    /** Writes the whole feed of one connection. */
    void write(OutputStream out) throws IOException {
        write(out, messages);
    }

    private void write(OutputStream out, long total) throws IOException {
        int low = lowDigits(lineBytes);
        long linesPerChunk = pow10(low);
        byte[] chunk = prebuiltChunk((int) linesPerChunk, low);
        int highDigits = DIGITS - low;
        for (long start = 0, chunkNumber = 0; start < total; start += linesPerChunk, chunkNumber++) {
            long lines = Math.min(linesPerChunk, total - start);
            if (highDigits > 0) {
                byte[] high = digits(chunkNumber, highDigits);
                for (int line = 0; line < lines; line++) {
                    System.arraycopy(high, 0, chunk, line * lineBytes, highDigits);
                }
            }
            out.write(chunk, 0, (int) (lines * lineBytes));
        }
    }

    /** The most low digits whose chunk of {@code 10^low} lines still fits in about a MiB (at least one digit). */
    private static int lowDigits(int lineBytes) {
        int low = 1;
        while (low < DIGITS && pow10(low + 1) * lineBytes <= CHUNK_BYTES) {
            low++;
        }
        return low;
    }

    private byte[] prebuiltChunk(int lines, int low) {
        byte[] chunk = new byte[lines * lineBytes];
        Arrays.fill(chunk, (byte) 'x');
        for (int line = 0; line < lines; line++) {
            int at = line * lineBytes;
            Arrays.fill(chunk, at, at + DIGITS - low, (byte) '0');
            System.arraycopy(digits(line, low), 0, chunk, at + DIGITS - low, low);
            chunk[at + DIGITS] = ' ';
            chunk[at + lineBytes - 1] = '\n';
        }
        return chunk;
    }

    private static byte[] digits(long value, int width) {
        String text = Long.toString(value);
        return ("0".repeat(width - text.length()) + text).getBytes(StandardCharsets.US_ASCII);
    }

    private static long pow10(int exponent) {
        long p = 1;
        for (int i = 0; i < exponent; i++) {
            p *= 10;
        }
        return p;
    }
}
