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
import java.util.concurrent.TimeUnit;

/**
 * A demo line server on {@code 127.0.0.1}, port 0: it accepts one connection and sends numbered lines, each
 * prefixed with its own {@code host:port}, then closes (bounded) or keeps sending one line per interval (unbounded).
 *
 * <p>Plain JDK sockets on a daemon thread of its own; {@link #close()} stops it.
 *
 * @since 0.1
 */
public final class DemoFeed implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;

    private DemoFeed(ServerSocket server, int lines, long intervalMillis) {
        this.server = server;
        this.thread = new Thread(() -> serve(lines, intervalMillis), "tether-demo-feed-" + server.getLocalPort());
        this.thread.setDaemon(true);
    }

    /**
     * Starts a feed that sends {@code lines} lines at once, then closes the connection.
     *
     * @param lines how many lines; 0 or more
     * @return the running feed
     * @throws IOException if it cannot bind
     */
    public static DemoFeed bounded(int lines) throws IOException {
        if (lines < 0) {
            throw new IllegalArgumentException("lines must be >= 0, was " + lines);
        }
        return start(lines, 0);
    }

    /**
     * Starts a feed that sends one line every {@code intervalMillis} milliseconds until it is closed.
     *
     * @param intervalMillis the pause between lines, in milliseconds; at least 1
     * @return the running feed
     * @throws IOException if it cannot bind
     */
    public static DemoFeed unbounded(long intervalMillis) throws IOException {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis must be >= 1, was " + intervalMillis);
        }
        return start(-1, intervalMillis);
    }

    private static DemoFeed start(int lines, long intervalMillis) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DemoFeed feed = new DemoFeed(server, lines, intervalMillis);
        feed.thread.start();
        return feed;
    }

    /**
     * Returns where the feed listens, as {@code 127.0.0.1:port}.
     *
     * @return the endpoint
     */
    public String endpoint() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** Stops accepting and sending; idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing to recover: the socket is being thrown away
        }
        thread.interrupt();
    }

    private void serve(int lines, long intervalMillis) {
        String prefix = endpoint() + " line ";
        try (Socket socket = server.accept();
                OutputStream out = socket.getOutputStream()) {
            if (lines >= 0) {
                StringBuilder text = new StringBuilder();
                for (int i = 1; i <= lines; i++) {
                    text.append(prefix).append(i).append('\n');
                }
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            for (long i = 1; !Thread.currentThread().isInterrupted(); i++) {
                out.write((prefix + i + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                // an unbounded demo paces itself so the counts stay readable
                TimeUnit.MILLISECONDS.sleep(intervalMillis);
            }
        } catch (IOException | InterruptedException e) {
            // closed or stopped: the feed simply ends
        }
    }
}
