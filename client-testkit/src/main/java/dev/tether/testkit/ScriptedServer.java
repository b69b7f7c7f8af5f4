/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server on {@code 127.0.0.1} and a free (or given) port whose behaviour is a {@link Script}: one per accepted connection,
 * in order, then a default script for every later connection; or one that a function chooses as each connection is
 * accepted.
 *
 * <pre>{@code
 * Script first = Script.create().send("HELLO\n").expectLine("SUBSCRIBE prices").sendLines("p1", "p2").close();
 * try (ScriptedServer server = ScriptedServer.start(List.of(first), Script.create().reset())) {
 *     // point the client at server.address(), then:
 *     server.awaitLines(0, 1, Duration.ofSeconds(5));
 *     server.assertNoFailures();
 * }
 * }</pre>
 *
 * <p>It uses plain JDK sockets, so a bug in a Netty client cannot hide on both ends. It accepts on a daemon thread
 * named {@code scripted-server-<port>-accept}, runs each connection on a daemon thread
 * {@code scripted-server-<port>-conn-<index>} (its {@link Script#replying replying} thread adds {@code -replies}),
 * and paces {@link Script#drip drip} steps on
 * {@code scripted-server-<port>-drip}. Methods may be called from any thread. To refuse connections, call
 * {@link #down()}: nothing listens, so the kernel refuses them. There is no way to refuse only the next <i>n</i>
 * attempts from user space; {@link #resetNext(int)} accepts and resets them instead, which a client sees as a
 * different failure.
 *
 * @since 0.1
 */
public final class ScriptedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScriptedServer.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final Function<ServerConnection, Script> perConnection; // called under "this"
    private final int port;
    private final String name;
    private final ScheduledExecutorService scheduler;
    private final List<ServerConnection> connections = new CopyOnWriteArrayList<>();
    private final List<ScriptRun> runs = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger resetBudget = new AtomicInteger();
    private final SSLContext tls; // null: plain TCP
    private final SSLParameters tlsParameters; // null: the context's defaults
    private ServerSocket listener; // guarded by "this"; null while down
    private Thread acceptThread; // guarded by "this"; null while down
    private boolean closed; // guarded by "this"

    private ScriptedServer(
            Function<ServerConnection, Script> perConnection, int port, SSLContext tls, SSLParameters parameters) {
        this.perConnection = perConnection;
        this.tls = tls;
        this.tlsParameters = parameters;
        this.listener = Net.bind(port, tls, parameters);
        this.port = listener.getLocalPort();
        this.name = "scripted-server-" + this.port;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = Net.daemon(task, name + "-drip");
            threads.add(thread); // so close() waits for it too
            return thread;
        });
    }

    /**
     * Starts a server that runs {@code script} on every connection.
     *
     * @param script the script for every connection
     * @return the running server; close it
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public static ScriptedServer start(Script script) {
        return start(List.of(), script);
    }

    /**
     * Starts a server that runs the scripts in {@code firstConnections} on the first connections, one each in accept
     * order, and {@code then} on every later one.
     *
     * @param firstConnections the scripts for the first connections; may be empty
     * @param then the script for every connection after those
     * @return the running server; close it
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public static ScriptedServer start(List<Script> firstConnections, Script then) {
        return start(0, inOrder(firstConnections, then));
    }

    private static Function<ServerConnection, Script> inOrder(List<Script> firstConnections, Script then) {
        Objects.requireNonNull(firstConnections, "firstConnections");
        firstConnections.forEach(s -> Objects.requireNonNull(s, "firstConnections element"));
        List<Script> first = List.copyOf(firstConnections);
        Objects.requireNonNull(then, "then");
        AtomicInteger scripted = new AtomicInteger(); // connections that got a script, not resetNext's
        return record -> {
            int i = scripted.getAndIncrement();
            return i < first.size() ? first.get(i) : then;
        };
    }

    /**
     * Starts a server on {@code 127.0.0.1:port} that asks {@code perConnection} for each accepted connection's
     * script. The function is called on the accept thread, one connection at a time in accept order, so it may keep
     * state (a seeded random source, a counter) without locks; it gets the connection's record, whose index and
     * address are set. If it throws or returns null, the failure is recorded and the connection closed.
     *
     * @param port the port, or 0 for any free one
     * @param perConnection chooses the script of each connection
     * @return the running server; close it
     * @throws UncheckedIOException if the port cannot be bound
     * @throws IllegalArgumentException if the port is outside 0..65535
     */
    public static ScriptedServer start(int port, Function<ServerConnection, Script> perConnection) {
        return start(port, perConnection, null, null);
    }

    /**
     * Starts a TLS server that runs {@code script} on every connection, with the certificate and trust of {@code
     * context}. The handshake happens at the connection's first read or write; a client that rejects the server's
     * certificate (or one the server rejects) ends the connection there, which is not a failure of the script.
     *
     * @param context the server's TLS: its key manager holds the server certificate
     * @param script the script for every connection; the steps see plain text
     * @return the running server; close it
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public static ScriptedServer startTls(SSLContext context, Script script) {
        return startTls(0, context, null, inOrder(List.of(), script));
    }

    /**
     * Starts a TLS server on {@code 127.0.0.1:port}, as {@link #start(int, Function)} does, with {@code parameters} for
     * what the context does not say: {@code setNeedClientAuth(true)} for mutual TLS, protocols, cipher suites.
     *
     * @param port the port, or 0 for any free one
     * @param context the server's TLS: its key manager holds the server certificate, its trust manager the client CAs
     * @param parameters the listener's TLS parameters, or null for the context's defaults
     * @param perConnection chooses the script of each connection
     * @return the running server; close it
     * @throws UncheckedIOException if the port cannot be bound
     * @throws IllegalArgumentException if the port is outside 0..65535
     */
    public static ScriptedServer startTls(
            int port, SSLContext context, SSLParameters parameters, Function<ServerConnection, Script> perConnection) {
        return start(port, perConnection, Objects.requireNonNull(context, "context"), parameters);
    }

    private static ScriptedServer start(
            int port, Function<ServerConnection, Script> perConnection, SSLContext tls, SSLParameters parameters) {
        ScriptedServer server =
                new ScriptedServer(Objects.requireNonNull(perConnection, "perConnection"), port, tls, parameters);
        synchronized (server) {
            server.startAccepting();
        }
        return server;
    }

    /**
     * Returns the port the server listens on; it stays the same across {@link #down()} and {@link #up()}.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Returns {@code 127.0.0.1:port()}.
     *
     * @return the address to connect to
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(Net.LOOPBACK, port);
    }

    /**
     * Returns true while the server listens, false after {@link #down()} or {@link #close()}.
     *
     * @return whether connects can succeed
     */
    public synchronized boolean isUp() {
        return listener != null;
    }

    /**
     * Stops listening, so that the kernel refuses new connects ("Connection refused"); accepted connections carry
     * on, but connects the kernel completed and the server had not yet accepted are reset. Wait with
     * {@link #awaitConnections} first to keep them. Does nothing if the server is already down.
     *
     * @throws IllegalStateException if the server is closed
     */
    public void down() {
        Thread accepting;
        synchronized (this) {
            checkOpen("down()");
            if (listener == null) {
                return;
            }
            Net.closeQuietly(listener);
            listener = null;
            accepting = acceptThread;
            acceptThread = null;
        }
        // the kernel frees the port only once the accept thread has left accept(): until then connects still succeed
        Net.join(accepting, System.nanoTime() + JOIN_TIMEOUT.toNanos());
        if (accepting.isAlive()) {
            throw new IllegalStateException(name + ": the accept thread did not end within " + JOIN_TIMEOUT);
        }
    }

    /**
     * Listens again on the same port; later connections continue the script order. Does nothing if the server is
     * up.
     *
     * @throws IllegalStateException if the server is closed
     * @throws UncheckedIOException if the port cannot be bound again, e.g. because another process took it
     */
    public synchronized void up() {
        checkOpen("up()");
        if (listener == null) {
            listener = Net.bind(port, tls, tlsParameters);
            startAccepting();
        }
    }

    /**
     * Makes the next {@code n} accepted connections end at once with a reset (RST) instead of running a script; they
     * are recorded as connections but do not use up a script from the list given to {@code start}. Calls add up.
     *
     * @param n how many connections to reset; 0 does nothing
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void resetNext(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("resetNext n must be >= 0, was " + n);
        }
        resetBudget.addAndGet(n);
    }

    /**
     * Returns how many connections the server has accepted, including closed and reset ones.
     *
     * @return the count
     */
    public int acceptedCount() {
        return connections.size();
    }

    /**
     * Returns the record of one connection.
     *
     * @param index the connection's position in accept order, from 0
     * @return the connection's record
     * @throws IndexOutOfBoundsException if no such connection has been accepted yet
     */
    public ServerConnection connection(int index) {
        List<ServerConnection> all = connections();
        if (index < 0 || index >= all.size()) {
            throw new IndexOutOfBoundsException(
                    "no connection #" + index + " on " + name + ": " + all.size() + " accepted so far");
        }
        return all.get(index);
    }

    /**
     * Returns the records of every connection accepted so far.
     *
     * @return the connections, in accept order
     */
    public List<ServerConnection> connections() {
        return List.copyOf(connections);
    }

    /**
     * Waits until at least {@code n} connections have been accepted, polling.
     *
     * @param n how many connections to wait for
     * @param timeout how long to wait at most; must be positive
     * @return the connections accepted so far, at least {@code n}
     * @throws AssertionError if the timeout passes first
     */
    public List<ServerConnection> awaitConnections(int n, Duration timeout) {
        return Await.value(this::connections, c -> c.size() >= n, timeout, n + " connection(s) on " + name);
    }

    /**
     * Waits until connection {@code index} exists and has received at least {@code n} complete lines, polling.
     *
     * @param index the connection, from 0
     * @param n how many lines to wait for
     * @param timeout how long to wait at most; must be positive
     * @return the connection's lines so far, at least {@code n}
     * @throws AssertionError if the timeout passes first
     */
    public List<String> awaitLines(int index, int n, Duration timeout) {
        return Await.value(
                () -> index < connections.size() ? connections.get(index).receivedLines() : null,
                lines -> lines != null && lines.size() >= n,
                timeout,
                n + " line(s) on connection #" + index + " of " + name);
    }

    /**
     * Returns every failure recorded so far, over all connections, in connection order.
     *
     * @return the failure messages; empty if none
     */
    public List<String> failures() {
        List<String> all = new ArrayList<>();
        connections.forEach(c -> all.addAll(c.failures()));
        return all;
    }

    /**
     * Checks that no connection recorded a failure so far.
     *
     * @throws AssertionError listing every failure, each with its connection, step, and expected versus actual data
     */
    public void assertNoFailures() {
        List<String> failures = failures();
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " failure(s) on " + name + ":\n" + String.join("\n", failures));
        }
    }

    /**
     * Stops listening, closes every connection, and waits up to 5 s for the server's threads to end. Idempotent.
     * Failures stay readable afterwards.
     *
     * @throws AssertionError if a server thread is still alive after that
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (listener != null) {
                Net.closeQuietly(listener);
                listener = null;
            }
        }
        runs.forEach(ScriptRun::abort);
        scheduler.shutdownNow();
        List<String> alive = Net.joinAll(threads, JOIN_TIMEOUT);
        if (!alive.isEmpty()) {
            throw new AssertionError(name + ": threads still alive " + JOIN_TIMEOUT + " after close(): " + alive);
        }
    }

    @Override
    public String toString() {
        return "ScriptedServer[" + (tls == null ? "" : "TLS ") + address() + ", " + connections.size() + " accepted, "
                + (isUp() ? "up]" : "down]");
    }

    /** How many runs and threads the server still holds, finished or not: for the kit's tests. */
    int held() {
        return runs.size() + threads.size();
    }

    private void startAccepting() {
        ServerSocket socket = listener;
        Thread thread = Net.daemon(() -> acceptLoop(socket), name + "-accept");
        acceptThread = thread;
        threads.add(thread);
        thread.start();
    }

    private void acceptLoop(ServerSocket socket) {
        while (true) {
            Socket accepted;
            try {
                accepted = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("{}: accept failed", name, e);
                }
                return; // down() or close()
            }
            serve(accepted);
        }
    }

    private synchronized void serve(Socket socket) {
        // synchronized: after down() and up() an old accept thread may still be here while a new one accepts
        ServerConnection record = new ServerConnection(
                connections.size(), (InetSocketAddress) socket.getRemoteSocketAddress(), Instant.now());
        Script script;
        if (resetBudget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            script = Script.create().reset();
        } else {
            try {
                script = Objects.requireNonNull(perConnection.apply(record), "perConnection returned null");
            } catch (RuntimeException e) {
                record.fail("connection #" + record.index() + ": perConnection failed: " + e);
                log.warn("{}: connection #{}: perConnection failed", name, record.index(), e);
                script = Script.create().reset();
            }
        }
        // forget the runs and threads that ended, so a server that accepts for hours keeps only its records
        runs.removeIf(ScriptRun::ended);
        threads.removeIf(thread -> !thread.isAlive());
        try {
            ScriptRun run = new ScriptRun(socket, record, script, scheduler);
            Thread thread = Net.daemon(run, name + "-conn-" + record.index());
            runs.add(run);
            threads.add(thread);
            if (closed) {
                run.abort(); // close() may have aborted the others before this one was added
            }
            connections.add(record); // before the script runs, so whoever sees its effects sees the connection
            thread.start();
        } catch (IOException e) {
            Net.closeQuietly(socket);
            record.closed();
            log.debug("{}: connection #{} failed at once: {}", name, record.index(), e.toString());
            connections.add(record);
        }
    }

    private synchronized void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + " on " + name + ": the server is closed");
        }
    }
}
