/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on {@code 127.0.0.1} that forwards to a target and misbehaves on command: latency, a bandwidth cap,
 * tiny writes, a link that holds its bytes without closing, resets, a close after so many bytes, and a listener that
 * goes down and comes back on the same port. These machines have no kernel delay emulation and no external fault
 * proxy, so tests make their faults here.
 *
 * <p>Built on plain JDK sockets. Each accepted connection (a link) opens its own connection
 * to the target and moves bytes in both directions, each direction with a reader thread and a writer thread joined
 * by a small queue: the reader stamps each chunk with the time it arrived, the writer delivers it no earlier than
 * that time plus the latency, at no more than the bandwidth cap, in slices if asked. While the proxy holds, neither
 * side reads, so TCP pushes back on the sender as a stalled network would. Threads are daemons named
 * {@code fault-proxy-<port>...}. Faults may be changed at any time from any thread; they apply to both directions
 * except {@link #closeAfter(long)}, which counts the bytes sent to the client. The faults are kept in {@link Faults},
 * each link is a {@link Link} with a {@link Direction} each way.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(server.address())) {
 *     proxy.slice(3, 42);            // every write arrives in pieces of 1 to 3 bytes
 *     // point the client at proxy.address()
 *     proxy.hold();                  // the link goes quiet, the sockets stay open
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final InetSocketAddress target;
    private final int port;
    private final String name;
    private final Faults faults = new Faults();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger linkNumbers = new AtomicInteger();
    private final AtomicLong bytesToClient = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock(); // for listening, down and up; faults have their own
    private ServerSocket listener; // guarded by lock; null while down
    private Thread acceptThread; // guarded by lock; the thread accepting on listener

    private FaultProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
        this.name = "fault-proxy-" + port;
    }

    /**
     * Starts a proxy to {@code target} on {@code 127.0.0.1} and a free port.
     *
     * @param target where each accepted connection is forwarded
     * @return the running proxy
     * @throws IOException if no port can be bound
     */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        return start(target, 0);
    }

    /**
     * Starts a proxy to {@code target} on {@code 127.0.0.1:port}, with SO_REUSEADDR.
     *
     * @param target where each accepted connection is forwarded
     * @param port the port, or 0 for a free one
     * @return the running proxy
     * @throws IOException if the port cannot be bound
     */
    public static FaultProxy start(InetSocketAddress target, int port) throws IOException {
        Objects.requireNonNull(target, "target");
        ServerSocket socket = bind(port);
        FaultProxy proxy = new FaultProxy(target, socket.getLocalPort());
        proxy.listen(socket);
        return proxy;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 50);
        return socket;
    }

    /** Returns the port the proxy listens on, and listens on again after {@link #up()}. */
    public int port() {
        return port;
    }

    /** Returns {@code 127.0.0.1:port()}: where clients connect. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Returns how many connections the proxy has accepted and linked to the target (or reset, where the target was not
     * there), closed ones included. A link counted here is already reached by {@link #resetAll()} and the like.
     */
    public int acceptedCount() {
        return accepted.get();
    }

    /** Returns how many bytes the proxy has delivered to clients, over all links. */
    public long bytesToClient() {
        return bytesToClient.get();
    }

    /** Counts bytes a link delivered to its client. */
    void deliveredToClient(int length) {
        bytesToClient.addAndGet(length);
    }

    /** Forgets a link that has closed. */
    void closed(Link link) {
        links.remove(link);
    }

    /** Delays every chunk by {@code latency} from the moment it arrived, keeping order; zero for none. */
    public FaultProxy latency(Duration latency) {
        faults.latency(latency);
        return this;
    }

    /** Caps each direction of each link at {@code bytesPerSecond}; 0 for no cap. */
    public FaultProxy bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 0, was " + bytesPerSecond);
        }
        faults.bandwidth(bytesPerSecond);
        return this;
    }

    /**
     * Splits every chunk into writes of 1 to {@code maxChunk} bytes, sizes drawn from {@code seed}, each written as a
     * segment of its own (TCP_NODELAY); {@code maxChunk} 0 turns it off.
     */
    public FaultProxy slice(int maxChunk, long seed) {
        if (maxChunk < 0) {
            throw new IllegalArgumentException("maxChunk must be >= 0, was " + maxChunk);
        }
        faults.slice(maxChunk, seed);
        return this;
    }

    /** Stops moving bytes in both directions, keeping every connection open, until {@link #release()}. */
    public FaultProxy hold() {
        faults.hold(true);
        return this;
    }

    /** Resumes after {@link #hold()}: what was held is delivered, in order. */
    public FaultProxy release() {
        faults.hold(false);
        return this;
    }

    /**
     * Closes each link (both sockets, cleanly) once it has delivered {@code bytes} bytes to its client, exactly that
     * many; applies to links open now and later. A negative value turns it off.
     */
    public FaultProxy closeAfter(long bytes) {
        faults.closeAfter(bytes);
        return this;
    }

    /** Closes every open link cleanly (FIN to both ends); keeps accepting. */
    public void closeAll() {
        links.forEach(link -> link.close(false));
    }

    /** Resets every open link (RST to the client, the target's socket closed); keeps accepting. */
    public void resetAll() {
        links.forEach(link -> link.close(true));
    }

    /**
     * Goes down: stops listening, so new connections are refused, and resets every open link. {@link #up()} comes
     * back on the same port.
     */
    public void down() {
        Thread accepting;
        lock.lock();
        try {
            Sockets.closeQuietly(listener);
            listener = null;
            accepting = acceptThread;
        } finally {
            lock.unlock();
        }
        // A close is complete only once the thread blocked in accept() has woken up and left: until then the kernel
        // may still complete handshakes on the port, and "down" would not yet refuse.
        if (accepting != null && accepting != Thread.currentThread()) {
            try {
                accepting.join(JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        resetAll();
    }

    /**
     * Listens again on the same port after {@link #down()}; does nothing if it is up.
     *
     * @throws IOException if the port cannot be bound again
     */
    public void up() throws IOException {
        lock.lock();
        try {
            if (faults.stopped()) {
                throw new IllegalStateException(name + " is closed");
            }
            if (listener == null) {
                listen(bind(port));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops listening, closes every link and waits up to 5 s for the proxy's threads to end. Idempotent.
     *
     * @throws AssertionError if a thread is still alive after that
     */
    @Override
    public void close() {
        if (!faults.stop()) {
            return;
        }
        down();
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        List<String> alive = new ArrayList<>();
        for (Thread thread : threads) {
            thread.interrupt(); // a writer may be waiting out a latency or the bandwidth cap
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) {
                alive.add(thread.getName());
            }
        }
        if (!alive.isEmpty()) {
            throw new AssertionError(name + ": threads still alive after " + JOIN_TIMEOUT + ": " + alive);
        }
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        acceptThread = startThread(name + "-accept", () -> acceptLoop(socket));
    }

    /** Starts a daemon thread that {@link #close()} waits for. */
    Thread startThread(String threadName, Runnable body) {
        Thread thread = new Thread(body, threadName);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    private void acceptLoop(ServerSocket socket) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed by down() or close()
            }
            int number = linkNumbers.incrementAndGet();
            Socket server = new Socket();
            try {
                server.connect(target, (int) JOIN_TIMEOUT.toMillis());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                Sockets.closeQuietly(server);
                Sockets.abort(client); // the target is not there: the client sees a reset, as with a dead server
                accepted.incrementAndGet();
                continue;
            }
            Link link = new Link(this, faults, client, server, name + "-link-" + number);
            links.add(link);
            // counted only now, so that a test which waits for the count and then resets or closes links finds it
            accepted.incrementAndGet();
            boolean wentDown;
            lock.lock();
            try {
                wentDown = faults.stopped() || listener != socket;
            } finally {
                lock.unlock();
            }
            if (wentDown) {
                link.close(true); // down() or close() came while this one was being set up
            }
            link.start();
        }
    }
}
