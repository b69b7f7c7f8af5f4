/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server on {@code 127.0.0.1} and a free port, built on plain JDK sockets and scripted by one
 * {@link ServerBehavior}, for tests that need a real peer.
 *
 * <p>It deliberately avoids Netty, so that a bug in our Netty code cannot hide on both ends. It
 * accepts on a daemon thread named {@code test-server-<port>} and serves each connection on its
 * own daemon thread, {@code test-server-<port>-conn-<n>}. Methods may be called from any thread.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(ServerBehavior.echo())) {
 *     // point the client at server.address()
 *     Await.until(() -> server.acceptedCount() == 1, Duration.ofSeconds(5), "one connection");
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestServer.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket serverSocket;
    private final ServerBehavior behavior;
    private final String name;
    private final Thread acceptThread;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<Thread> connectionThreads = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // synchronized by itself
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean closed; // written by close(), read by the accept and connection threads

    private TestServer(ServerSocket serverSocket, ServerBehavior behavior) {
        this.serverSocket = serverSocket;
        this.behavior = behavior;
        this.name = "test-server-" + serverSocket.getLocalPort();
        this.acceptThread = new Thread(this::acceptLoop, name);
        acceptThread.setDaemon(true);
    }

    /** Binds {@code 127.0.0.1} on a free port and starts accepting; each connection runs {@code behavior}. */
    public static TestServer start(ServerBehavior behavior) throws IOException {
        Objects.requireNonNull(behavior, "behavior");
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        TestServer server = new TestServer(socket, behavior);
        server.acceptThread.start();
        return server;
    }

    /**
     * Binds {@code 127.0.0.1} on {@code port}, with SO_REUSEADDR so a test can restart a server on the port of one
     * it just closed, and starts accepting.
     */
    public static TestServer start(int port, ServerBehavior behavior) throws IOException {
        Objects.requireNonNull(behavior, "behavior");
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 50);
        TestServer server = new TestServer(socket, behavior);
        server.acceptThread.start();
        return server;
    }

    /** Returns the port the server listens on. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Returns {@code 127.0.0.1:port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(serverSocket.getInetAddress(), port());
    }

    /** Returns how many connections have been accepted so far, including ones already closed. */
    public int acceptedCount() {
        return accepted.get();
    }

    /** Returns a snapshot of the complete lines read from all clients, in arrival order, without {@code \r\n}. */
    public List<String> receivedLines() {
        return List.copyOf(lines);
    }

    /** Waits until at least {@code n} lines have arrived and returns them; fails with an AssertionError on timeout. */
    public List<String> awaitReceivedLines(int n, Duration timeout) {
        return Await.value(this::receivedLines, l -> l.size() >= n, timeout, n + " received line(s)");
    }

    /** Returns a copy of every byte read from all clients, in arrival order. */
    public byte[] receivedBytes() {
        return bytes.toByteArray();
    }

    /** Writes {@code data} to every open connection, in accept order. */
    public void sendToAll(byte[] data) {
        for (Session session : sessions) {
            try {
                session.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException("write to connection " + session.index() + " failed", e);
            }
        }
    }

    /** Closes every open connection (FIN) but keeps accepting new ones, for reconnect tests. */
    public void closeClients() {
        sessions.forEach(Session::drop);
    }

    /**
     * Stops accepting, closes every connection and waits up to 5 s for the server's threads to end.
     *
     * @throws AssertionError if a thread is still alive after that, or a behaviour failed with
     *     something other than an {@link IOException}
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(serverSocket);
        closeClients();
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        List<String> alive = new ArrayList<>();
        join(acceptThread, deadline, alive);
        connectionThreads.forEach(t -> join(t, deadline, alive));
        if (!alive.isEmpty() || !failures.isEmpty()) {
            String problem = alive.isEmpty()
                    ? failures.size() + " behaviour failure(s), attached as suppressed"
                    : "threads still alive after " + JOIN_TIMEOUT + ": " + alive;
            AssertionError error = new AssertionError(name + ": " + problem);
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private void acceptLoop() {
        int index = 0;
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("{}: accept failed", name, e);
                }
                return;
            }
            Session session = new Session(socket, ++index);
            sessions.add(session);
            if (closed) {
                session.drop(); // close() may have dropped the others before this one was added
            }
            Thread thread = new Thread(() -> serve(session), name + "-conn-" + session.index());
            thread.setDaemon(true);
            connectionThreads.add(thread);
            thread.start();
            // counted last, so a test that saw the count can already reach the session and its thread
            accepted.incrementAndGet();
        }
    }

    private void serve(Session session) {
        try {
            session.socket.setTcpNoDelay(true);
            behavior.handle(session.socket, session);
        } catch (IOException e) {
            // expected whenever the client resets or the server drops the connection under the behaviour
            log.debug("{}: connection {} ended: {}", name, session.index(), e.toString());
        } catch (RuntimeException | Error e) {
            failures.add(e);
            log.warn("{}: behaviour failed on connection {}", name, session.index(), e);
        } finally {
            sessions.remove(session);
            closeQuietly(session.socket);
        }
    }

    private static void join(Thread thread, long deadline, List<String> alive) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            alive.add(thread.getName());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing useful to do: the peer is gone either way
        }
    }

    /** One accepted connection, as seen by its {@link ServerBehavior}. */
    public final class Session {
        private final Socket socket;
        private final int index;
        private final CountDownLatch dropped = new CountDownLatch(1);
        private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream(); // connection thread only

        private Session(Socket socket, int index) {
            this.socket = socket;
            this.index = index;
        }

        /** Returns this connection's position in accept order, starting at 1. */
        public int index() {
            return index;
        }

        /** Writes and flushes {@code data}; serialised with {@link TestServer#sendToAll}. */
        public synchronized void write(byte[] data) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(data);
            out.flush();
        }

        /** Reads until the client closes, recording everything; returns normally at EOF. */
        public void readUntilEof() throws IOException {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                received(buffer, 0, n);
            }
        }

        /** Records bytes that the behaviour read: raw, and as UTF-8 lines split on {@code \n}. */
        public void received(byte[] buffer, int offset, int length) {
            bytes.write(buffer, offset, length);
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] != '\n') {
                    partialLine.write(buffer[i]);
                    continue;
                }
                String line = partialLine.toString(StandardCharsets.UTF_8);
                lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                partialLine.reset();
            }
        }

        /** Blocks until the server closes or drops this connection. */
        public void awaitDropped() throws InterruptedIOException {
            try {
                dropped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on connection " + index);
            }
        }

        /** Waits up to {@code timeout} for the server to close or drop this connection; returns true if it did. */
        public boolean awaitDropped(Duration timeout) throws InterruptedIOException {
            try {
                return dropped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on connection " + index);
            }
        }

        private void drop() {
            dropped.countDown();
            closeQuietly(socket);
        }
    }
}
