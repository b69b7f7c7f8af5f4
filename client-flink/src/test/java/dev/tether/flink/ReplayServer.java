/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A line feed that can replay, as the servers a resumable source is for: it serves the lines {@code 0} to {@code
 * total - 1} (each the sequence number, then a space and padding if asked), and each connection's first line says
 * where to start: {@code START}, or {@code FROM <n>} for what follows line {@code n}. Plain JDK sockets on loopback,
 * one thread per connection; what each connection does after its lines is planned per connection index.
 */
final class ReplayServer implements AutoCloseable {
    /** What a connection does once it sent the lines before {@code until}. */
    enum End {
        /** Closes cleanly. */
        CLOSE,
        /** Resets the connection (an abortive close: RST). */
        RESET,
        /** Keeps the connection open, sending nothing more, until the server closes. */
        STALL,
        /** Waits for {@link #release()}, then sends the rest of the lines and closes cleanly. */
        HOLD,
        /** Closes cleanly as soon as it accepted, before reading a line: a server turning the client away. */
        REFUSE
    }

    /** A connection's plan: send the lines before {@code until} (at most to the end), then {@code end}. */
    record Session(int until, End end) {}

    private final ServerSocket socket;
    private final int total;
    private final String padding;
    private final IntFunction<Session> plan;
    private final List<String> firstLines = new CopyOnWriteArrayList<>();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private ReplayServer(ServerSocket socket, int total, int paddingBytes, IntFunction<Session> plan) {
        this.socket = socket;
        this.total = total;
        this.padding = paddingBytes == 0 ? "" : " " + "x".repeat(paddingBytes);
        this.plan = plan;
        Thread acceptor = new Thread(this::acceptLoop, "replay-accept-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    /**
     * Starts a feed on an ephemeral port, or on {@code port} (to stand in for a restarted server).
     *
     * @param port 0 for any
     * @param total how many lines there are
     * @param paddingBytes padding after each sequence number, 0 for none
     * @param plan what connection {@code i} (0 for the first accepted) does
     */
    static ReplayServer start(int port, int total, int paddingBytes, IntFunction<Session> plan) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new ReplayServer(socket, total, paddingBytes, plan);
    }

    /** The sequence number of a line this server sent: what a resumable source's position function reads. */
    static String sequenceOf(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    /** The resume line: {@code START} with no position, else {@code FROM <position>}. */
    static String resumeLine(Endpoint endpoint, String position) {
        return position == null ? "START" : "FROM " + position;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** The first line of each connection, in accept order. */
    List<String> firstLines() {
        return List.copyOf(firstLines);
    }

    long bytesWritten() {
        return bytesWritten.get();
    }

    /** Lets connections that {@link End#HOLD} go on. */
    void release() {
        released.countDown();
    }

    /** What went wrong on the server's side, other than the client going away. */
    List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop() {
        int index = 0;
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException closed) {
                return;
            }
            accepted.add(connection);
            Session session = plan.apply(index);
            Thread serving = new Thread(() -> serve(connection, session), "replay-" + index++);
            serving.setDaemon(true);
            threads.add(serving);
            serving.start();
        }
    }

    private void serve(Socket connection, Session session) {
        try (connection) {
            if (session.end() == End.REFUSE) {
                return;
            }
            String first = readLine(connection.getInputStream());
            firstLines.add(first);
            int next;
            if (first.equals("START")) {
                next = 0;
            } else if (first.startsWith("FROM ")) {
                next = Integer.parseInt(first.substring(5)) + 1;
            } else {
                throw new IOException("expected START or FROM <n>, got " + first);
            }
            OutputStream out = new BufferedOutputStream(connection.getOutputStream(), 64 * 1024);
            next = send(out, next, Math.min(session.until(), total));
            switch (session.end()) {
                case CLOSE -> out.flush();
                case RESET -> {
                    out.flush();
                    connection.setSoLinger(true, 0);
                }
                case STALL -> {
                    out.flush();
                    connection.getInputStream().transferTo(OutputStream.nullOutputStream());
                }
                case REFUSE -> throw new AssertionError("handled on accept");
                case HOLD -> {
                    out.flush();
                    if (!released.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    send(out, next, total);
                    out.flush();
                }
            }
        } catch (IOException clientWentAway) {
            // a closed client or a closed server: part of the tests
        } catch (RuntimeException | InterruptedException e) {
            failures.add(e);
        }
    }

    private int send(OutputStream out, int from, int until) throws IOException {
        for (int i = from; i < until; i++) {
            byte[] line = (i + padding + "\n").getBytes(StandardCharsets.US_ASCII);
            out.write(line);
            bytesWritten.addAndGet(line.length);
        }
        return Math.max(from, until);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the client closed before its first line");
            }
            line.append((char) b);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
        released.countDown();
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
