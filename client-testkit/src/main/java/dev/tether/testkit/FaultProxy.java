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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on {@code 127.0.0.1} that sits between a client and any server and misbehaves on command, the way a
 * bad network does: latency and jitter, a bandwidth cap, writes sliced into tiny segments, a link that holds its bytes
 * without closing (half-open, as after a cable pull), resets, a close after so many bytes, and a listener that goes
 * down and comes back on the same port. Use it to test how a TCP client rides out a network fault, without kernel
 * delay emulation, root rights or an external proxy.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(server.address()).seed(42)) {
 *     proxy.latency(Duration.ofMillis(50)).jitter(Duration.ofMillis(20)).slice(3);
 *     // point the client at proxy.address() instead of the server
 *     proxy.hold();                  // the link goes quiet, the sockets stay open
 *     proxy.release();               // what was held is delivered, in order
 *     proxy.down();                  // refused and reset, until proxy.up()
 * }
 * }</pre>
 *
 * <p><b>Determinism.</b> Every random choice (jitter, slice sizes) is drawn from the {@linkplain #seed(long) seed},
 * 0 unless set: each direction of each link has its own generator, made from the seed, the link's number (in the
 * order the proxy accepted them, from 1) and the direction, so what one link draws does not depend on how threads
 * interleave. The same seed and the same traffic give the same faults. Time itself is real: latency, jitter and the
 * bandwidth cap are measured on {@link System#nanoTime()}.
 *
 * <p><b>How it works.</b> Plain JDK sockets, no Netty, so a bug in the client's networking cannot hide on both ends.
 * Each accepted connection (a link) opens its own connection to the target and moves bytes both ways, each way with a
 * reader thread and a writer thread joined by a small queue: the reader stamps each chunk with the time it arrived,
 * the writer delivers it no earlier than that time plus the latency and a jitter, in order, at no more than the
 * bandwidth cap, in slices if asked. While the proxy holds, neither side reads, so TCP pushes back on the sender as
 * a stalled network would. Where the target refuses, the client is reset, as by a dead server.
 *
 * <p><b>Threads.</b> Faults may be changed at any time from any thread; they apply to both directions except
 * {@link #closeAfter(long)}, which counts the bytes sent to the client. The proxy's threads are daemons named
 * {@code fault-proxy-<port>-*}, so a test can check that none survive; {@link #close()} ends them all.
 *
 * @since 0.1
 */
public final class FaultProxy implements AutoCloseable {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final InetSocketAddress target;
    private final int port;
    private final String name;
    private final Faults faults = new Faults();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Daemons daemons = new Daemons();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger linkNumbers = new AtomicInteger();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicLong writesToClient = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock(); // for listening, down and up; faults have their own
    private ServerSocket listener; // guarded by lock; null while down
    private Thread acceptThread; // guarded by lock; the thread accepting on listener

    private FaultProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
        this.name = "fault-proxy-" + port;
    }

    /**
     * Starts a proxy to {@code target} on {@code 127.0.0.1} and a free port, with no fault.
     *
     * @param target where each accepted connection is forwarded; need not be listening yet
     * @return the running proxy; close it
     * @throws IOException if no port can be bound
     */
    public static FaultProxy start(InetSocketAddress target) throws IOException {
        return start(target, 0);
    }

    /**
     * Starts a proxy to {@code target} on {@code 127.0.0.1:port}, with SO_REUSEADDR, and no fault.
     *
     * @param target where each accepted connection is forwarded; need not be listening yet
     * @param port the port, from 1 to 65535, or 0 for a free one
     * @return the running proxy; close it
     * @throws IOException if the port cannot be bound
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public static FaultProxy start(InetSocketAddress target, int port) throws IOException {
        Objects.requireNonNull(target, "target");
        ServerSocket socket = bind(port);
        FaultProxy proxy = new FaultProxy(target, socket.getLocalPort());
        proxy.listen(socket);
        return proxy;
    }

    /**
     * Returns the port the proxy listens on, and listens on again after {@link #up()}.
     *
     * @return the port, never 0
     */
    public int port() {
        return port;
    }

    /**
     * Returns where clients connect: {@code 127.0.0.1:port()}.
     *
     * @return the proxy's address
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Returns how many connections the proxy has accepted and linked to the target (or reset, where the target was not
     * there), closed ones included. A link counted here is already reached by {@link #resetAll()} and the like.
     *
     * @return the number of accepted connections since the start
     */
    public int acceptedCount() {
        return accepted.get();
    }

    /**
     * Returns how many bytes the proxy has delivered to clients, over all links; a byte counts once its write returned.
     *
     * @return the bytes delivered to clients since the start
     */
    public long bytesToClient() {
        return bytesToClient.get();
    }

    /**
     * Seeds every random choice of links accepted from now on: the jitter of each chunk and the size of each slice.
     * Set it before the client connects. Default: 0, so runs repeat even without it.
     *
     * @param seed any value; the same seed and the same traffic give the same faults
     * @return this proxy
     */
    public FaultProxy seed(long seed) {
        faults.seed(seed);
        return this;
    }

    /**
     * Delays every chunk by {@code latency} from the moment it arrived, each direction on its own, keeping order.
     * Default: zero.
     *
     * @param latency the one-way delay; zero for none
     * @return this proxy
     * @throws IllegalArgumentException if {@code latency} is negative
     */
    public FaultProxy latency(Duration latency) {
        faults.latency(latency);
        return this;
    }

    /**
     * Adds to the {@linkplain #latency(Duration) latency} of every chunk a delay drawn evenly from zero to
     * {@code jitter}, from the {@linkplain #seed(long) seed}. Order is kept, as in TCP: a chunk never overtakes the one
     * before it, it waits for it. Default: zero.
     *
     * @param jitter the largest extra delay; zero for none
     * @return this proxy
     * @throws IllegalArgumentException if {@code jitter} is negative
     */
    public FaultProxy jitter(Duration jitter) {
        faults.jitter(jitter);
        return this;
    }

    /**
     * Caps each direction of each link at {@code bytesPerSecond}, counted from the first byte after the cap is set.
     * Default: no cap.
     *
     * @param bytesPerSecond the rate in bytes per second; 0 for no cap
     * @return this proxy
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public FaultProxy bandwidth(long bytesPerSecond) {
        faults.bandwidth(bytesPerSecond);
        return this;
    }

    /**
     * Splits every chunk into writes of 1 to {@code maxBytes} bytes, sizes drawn from the {@linkplain #seed(long)
     * seed}, each sent as a TCP segment of its own (TCP_NODELAY); the receiver sees frames cut at every place. Default:
     * off, chunks go whole.
     *
     * @param maxBytes the largest write in bytes; 0 turns slicing off
     * @return this proxy
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public FaultProxy slice(int maxBytes) {
        faults.slice(maxBytes);
        return this;
    }

    /**
     * Stops moving bytes in both directions until {@link #release()}, keeping every connection open: the link is
     * half-open, as after a cable pull, and only a timeout or a keepalive can tell. New connections are still accepted
     * and held too.
     *
     * @return this proxy
     */
    public FaultProxy hold() {
        faults.hold(true);
        return this;
    }

    /**
     * Resumes after {@link #hold()}: what was held is delivered, in order. Does nothing if not holding.
     *
     * @return this proxy
     */
    public FaultProxy release() {
        faults.hold(false);
        return this;
    }

    /**
     * Closes each link (both sockets, cleanly) once it has delivered exactly {@code bytes} bytes to its client; applies
     * to links open now and later, each counted from its start. Default: off.
     *
     * @param bytes the bytes each link delivers to its client before it closes; negative turns it off
     * @return this proxy
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
     * back on the same port. Returns once connections are refused. Does nothing more if already down.
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
     * @throws IOException if the port cannot be bound again (another process took it)
     * @throws IllegalStateException if the proxy is closed
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
     * Stops listening, resets every link, ends any hold and waits up to 5 s for the proxy's threads to end.
     * Idempotent; after it, {@link #up()} throws and changing a fault has no effect.
     *
     * @throws AssertionError if a thread of the proxy is still alive after 5 s, so that a test fails on it
     */
    @Override
    public void close() {
        if (!faults.stop()) {
            return;
        }
        down();
        List<String> alive = daemons.interruptAndJoin(JOIN_TIMEOUT);
        if (!alive.isEmpty()) {
            throw new AssertionError(name + ": threads still alive after " + JOIN_TIMEOUT + ": " + alive);
        }
    }

    /** Returns the prefix of the proxy's thread names, {@code fault-proxy-<port>}. */
    String name() {
        return name;
    }

    /** Counts bytes a link delivered to its client, in one write. */
    void deliveredToClient(int length) {
        bytesToClient.addAndGet(length);
        writesToClient.incrementAndGet();
    }

    /** How many writes delivered those bytes: for the kit's tests of {@link #slice}. */
    long writesToClient() {
        return writesToClient.get();
    }

    /** Forgets a link that has closed. */
    void closed(Link link) {
        links.remove(link);
    }

    /** Starts a daemon thread that {@link #close()} waits for. */
    Thread startThread(String threadName, Runnable body) {
        return daemons.start(threadName, body);
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 50);
        return socket;
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        acceptThread = startThread(name + "-accept", () -> acceptLoop(socket));
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
            Link link = new Link(this, faults, client, server, number);
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
