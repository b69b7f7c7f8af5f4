/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on {@code 127.0.0.1} that forwards to a target and misbehaves on command: latency, a bandwidth cap,
 * tiny writes, a link that holds its bytes without closing, resets, a close after so many bytes, and a listener that
 * goes down and comes back on the same port. These machines have no kernel delay emulation and no external fault
 * proxy, so tests make their faults here.
 *
 * <p>Built on plain JDK sockets, like {@link TestServer}. Each accepted connection (a link) opens its own connection
 * to the target and moves bytes in both directions, each direction with a reader thread and a writer thread joined
 * by a small queue: the reader stamps each chunk with the time it arrived, the writer delivers it no earlier than
 * that time plus the latency, at no more than the bandwidth cap, in slices if asked. While the proxy holds, neither
 * side reads, so TCP pushes back on the sender as a stalled network would. Threads are daemons named
 * {@code fault-proxy-<port>...}. Faults may be changed at any time from any thread; they apply to both directions
 * except {@link #closeAfter(long)}, which counts the bytes sent to the client.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(ServerBehavior.echo());
 *         FaultProxy proxy = FaultProxy.start(server.address())) {
 *     proxy.slice(3, 42);            // every write arrives in pieces of 1 to 3 bytes
 *     // point the client at proxy.address()
 *     proxy.hold();                  // the link goes quiet, the sockets stay open
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final int QUEUED_CHUNKS = 16;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    private static final long UNLIMITED = 0;

    private final InetSocketAddress target;
    private final int port;
    private final String name;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger linkNumbers = new AtomicInteger();
    private final AtomicLong bytesToClient = new AtomicLong();

    // the faults; guarded by lock, and the writers wait on changed while held
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long latencyNanos;
    private long bytesPerSecond = UNLIMITED;
    private int sliceMax; // 0: whole chunks
    private Random sliceRandom;
    private boolean held;
    private long closeAfter = -1; // bytes to the client after which a link closes; -1: never

    private ServerSocket listener; // guarded by lock; null while down
    private Thread acceptThread; // guarded by lock; the thread accepting on listener
    private boolean closed; // guarded by lock

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

    /** Delays every chunk by {@code latency} from the moment it arrived, keeping order; zero for none. */
    public FaultProxy latency(Duration latency) {
        return set(() -> latencyNanos = latency.toNanos());
    }

    /** Caps each direction of each link at {@code bytesPerSecond}; 0 for no cap. */
    public FaultProxy bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be >= 0, was " + bytesPerSecond);
        }
        return set(() -> this.bytesPerSecond = bytesPerSecond);
    }

    /**
     * Splits every chunk into writes of 1 to {@code maxChunk} bytes, sizes drawn from {@code seed}, each written as a
     * segment of its own (TCP_NODELAY); {@code maxChunk} 0 turns it off.
     */
    public FaultProxy slice(int maxChunk, long seed) {
        if (maxChunk < 0) {
            throw new IllegalArgumentException("maxChunk must be >= 0, was " + maxChunk);
        }
        return set(() -> {
            sliceMax = maxChunk;
            sliceRandom = new Random(seed);
        });
    }

    /** Stops moving bytes in both directions, keeping every connection open, until {@link #release()}. */
    public FaultProxy hold() {
        return set(() -> held = true);
    }

    /** Resumes after {@link #hold()}: what was held is delivered, in order. */
    public FaultProxy release() {
        return set(() -> held = false);
    }

    /**
     * Closes each link (both sockets, cleanly) once it has delivered {@code bytes} bytes to its client, exactly that
     * many; applies to links open now and later. A negative value turns it off.
     */
    public FaultProxy closeAfter(long bytes) {
        return set(() -> closeAfter = bytes);
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
            closeQuietly(listener);
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
            if (closed) {
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
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            held = false;
            changed.signalAll();
        } finally {
            lock.unlock();
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

    private FaultProxy set(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return this;
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        acceptThread = startThread(name + "-accept", () -> acceptLoop(socket));
    }

    private Thread startThread(String threadName, Runnable body) {
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
                closeQuietly(server);
                abort(client); // the target is not there: the client sees a reset, as with a dead server
                accepted.incrementAndGet();
                continue;
            }
            Link link = new Link(client, server, name + "-link-" + number);
            links.add(link);
            // counted only now, so that a test which waits for the count and then resets or closes links finds it
            accepted.incrementAndGet();
            boolean wentDown;
            lock.lock();
            try {
                wentDown = closed || listener != socket;
            } finally {
                lock.unlock();
            }
            if (wentDown) {
                link.close(true); // down() or close() came while this one was being set up
            }
            link.start();
        }
    }

    /** One proxied connection: a client socket, a target socket, and a direction each way. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final String name;
        private final AtomicInteger openDirections = new AtomicInteger(2);
        private long deliveredToClient; // written by the downstream writer only
        private volatile boolean ended;

        Link(Socket client, Socket server, String name) {
            this.client = client;
            this.server = server;
            this.name = name;
        }

        void start() {
            new Direction(this, server, client, true, name + "-down").start();
            new Direction(this, client, server, false, name + "-up").start();
        }

        /** Called when one direction has delivered everything up to the sender's FIN. */
        void directionDone() {
            if (openDirections.decrementAndGet() == 0) {
                close(false);
            }
        }

        /** Closes both sockets; {@code reset} sends the client an RST instead of a FIN. Idempotent. */
        synchronized void close(boolean reset) {
            if (ended) {
                return;
            }
            ended = true;
            links.remove(this);
            if (reset) {
                abort(client);
                abort(server);
            } else {
                closeQuietly(client);
                closeQuietly(server);
            }
            lock.lock();
            try {
                changed.signalAll(); // a writer waiting on a hold stops waiting
            } finally {
                lock.unlock();
            }
        }
    }

    /** A chunk of bytes and the time it arrived. */
    private record Chunk(byte[] bytes, long arrivedNanos) {}

    /** Marks the end of a direction's stream: the sender's FIN, or a link that is gone. */
    private static final Chunk END = new Chunk(new byte[0], 0);

    /** Moves bytes one way: a reader thread fills the queue, a writer thread empties it under the faults. */
    private final class Direction {
        private final Link link;
        private final Socket from;
        private final Socket to;
        private final boolean toClient;
        private final String name;
        private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        private long paceStartNanos = -1; // when the bandwidth cap started counting
        private long pacedBytes;

        Direction(Link link, Socket from, Socket to, boolean toClient, String name) {
            this.link = link;
            this.from = from;
            this.to = to;
            this.toClient = toClient;
            this.name = name;
        }

        void start() {
            startThread(name + "-read", this::readLoop);
            startThread(name + "-write", this::writeLoop);
        }

        private void readLoop() {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    awaitNotHeld();
                    int n = in.read(buffer);
                    if (n < 0) {
                        queue.put(END);
                        return;
                    }
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime()));
                }
            } catch (IOException | InterruptedException e) {
                // a reset from one end is passed on as a reset to the other; a socket we closed ends quietly
                link.close(true);
                queue.offer(END); // wakes a writer waiting for the next chunk: its link is gone
            }
        }

        private void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == END) {
                        if (!link.ended) {
                            to.shutdownOutput(); // pass the FIN on
                        }
                        link.directionDone();
                        return;
                    }
                    awaitUntil(chunk.arrivedNanos() + latencyNanos());
                    write(out, chunk.bytes());
                }
            } catch (IOException | InterruptedException e) {
                link.close(true);
            }
        }

        private void write(OutputStream out, byte[] bytes) throws IOException, InterruptedException {
            int offset = 0;
            while (offset < bytes.length) {
                awaitNotHeld();
                int length = Math.min(bytes.length - offset, nextSlice());
                if (toClient) {
                    long allowed = allowedToClient();
                    if (allowed == 0) {
                        link.close(false);
                        return;
                    }
                    length = (int) Math.min(length, allowed);
                }
                pace(length);
                out.write(bytes, offset, length);
                out.flush();
                offset += length;
                if (toClient) {
                    link.deliveredToClient += length;
                    bytesToClient.addAndGet(length);
                    if (allowedToClient() == 0) {
                        link.close(false);
                        return;
                    }
                }
            }
        }

        /** Returns how many more bytes this link may deliver to the client: {@code Long.MAX_VALUE} for no limit. */
        private long allowedToClient() {
            lock.lock();
            try {
                return closeAfter < 0 ? Long.MAX_VALUE : Math.max(0, closeAfter - link.deliveredToClient);
            } finally {
                lock.unlock();
            }
        }

        private int nextSlice() {
            lock.lock();
            try {
                return sliceMax == 0 ? Integer.MAX_VALUE : 1 + sliceRandom.nextInt(sliceMax);
            } finally {
                lock.unlock();
            }
        }

        private long latencyNanos() {
            lock.lock();
            try {
                return latencyNanos;
            } finally {
                lock.unlock();
            }
        }

        /** Waits until sending {@code length} more bytes keeps this direction within the bandwidth cap. */
        private void pace(int length) throws InterruptedException {
            long rate;
            lock.lock();
            try {
                rate = bytesPerSecond;
            } finally {
                lock.unlock();
            }
            if (rate == UNLIMITED) {
                paceStartNanos = -1;
                return;
            }
            if (paceStartNanos < 0) {
                paceStartNanos = System.nanoTime();
                pacedBytes = 0;
            }
            pacedBytes += length;
            awaitUntil(paceStartNanos + pacedBytes * 1_000_000_000L / rate);
        }

        /** Waits while the proxy holds, unless the link or the proxy ends. */
        private void awaitNotHeld() throws InterruptedException {
            lock.lock();
            try {
                while (held && !closed && !link.ended) {
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
        }

        private void awaitUntil(long deadlineNanos) throws InterruptedException {
            for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    private static void abort(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close() then sends RST
        } catch (IOException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
