/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one {@link Script} on one accepted socket, on the connection's own thread. */
final class ScriptRun implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ScriptRun.class);
    private static final int MAX_SKIPPED_SHOWN = 5;

    private final Socket socket;
    private final ServerConnection record;
    private final Script script;
    private final ScheduledExecutorService scheduler;
    private final RecordingInput input;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean aborted; // set by the server's close(), read by the connection thread
    private volatile CompletableFuture<Void> drip; // the running drip step, if any; completed by abort() too
    private final Object writeLock = new Object(); // a replying thread writes too
    private volatile Thread replier; // the replying() or echoing() thread, if any
    private volatile boolean finished; // the run is over: its socket closed, its replier joined
    private boolean readingStopped; // connection thread only
    private boolean ended; // connection thread only

    ScriptRun(Socket socket, ServerConnection record, Script script, ScheduledExecutorService scheduler)
            throws IOException {
        this.socket = socket;
        this.record = record;
        this.script = script;
        this.scheduler = scheduler;
        this.input = new RecordingInput(socket.getInputStream(), record);
    }

    @Override
    public void run() {
        List<Step> steps = script.steps();
        int i = 0;
        try {
            socket.setTcpNoDelay(true);
            if (socket instanceof SSLSocket tls && !handshake(tls)) {
                return;
            }
            for (; i < steps.size() && !ended; i++) {
                steps.get(i).run(this);
            }
            if (!ended) {
                stall();
            }
        } catch (Mismatch e) {
            fail(i, steps.get(i), e.getMessage());
        } catch (IOException e) {
            if (aborted) {
                log.debug("connection #{} closed by the server's close(): {}", record.index(), e.toString());
            } else if (i < steps.size() && steps.get(i).kind() == Step.Kind.READ) {
                fail(i, steps.get(i), "the connection failed before the expected data arrived: " + e);
            } else {
                log.debug("connection #{} ended at step #{}: {}", record.index(), i, e.toString());
            }
        } finally {
            Net.closeQuietly(socket);
            Thread replying = replier;
            if (replying != null) {
                Net.join(replying, System.nanoTime() + TimeUnit.SECONDS.toNanos(5)); // it ends with the socket
            }
            record.closed();
            finished = true;
        }
    }

    /** Whether the run is over: its socket is closed and its record says so. */
    boolean ended() {
        return finished;
    }

    /** Runs a TLS server's handshake before the script; false, with the failure recorded, if it fails. */
    private boolean handshake(SSLSocket tls) {
        try {
            tls.startHandshake();
            return true;
        } catch (IOException e) {
            record.handshakeFailed(e.toString());
            log.debug("connection #{}: the TLS handshake failed: {}", record.index(), e.toString());
            return false;
        }
    }

    /** Ends the run from the server's close(): closes the socket and releases any wait. */
    void abort() {
        aborted = true;
        released.countDown();
        CompletableFuture<Void> running = drip;
        if (running != null) {
            running.completeExceptionally(new IOException("the server is closing"));
        }
        Net.closeQuietly(socket);
    }

    void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    /** Waits for {@code duration}, or until the server's close(); then throws, as a closed socket would. */
    void await(Duration duration) throws IOException {
        try {
            if (released.await(duration.toNanos(), TimeUnit.NANOSECONDS) || aborted) {
                throw new IOException("the server is closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting", e);
        }
    }

    void startReplying(Function<String, Optional<String>> reply) {
        Thread thread = Net.daemon(() -> reply(reply), Thread.currentThread().getName() + "-replies");
        replier = thread;
        thread.start();
    }

    void startEchoing() {
        Thread thread = Net.daemon(this::echo, Thread.currentThread().getName() + "-echoes");
        replier = thread;
        thread.start();
    }

    /** The echoing thread: writes back what it reads until the client closes, then reads on if the output is shut. */
    private void echo() {
        boolean answering = true;
        try {
            byte[] chunk;
            while ((chunk = input.readSome()) != null) {
                if (answering && !socket.isOutputShutdown()) {
                    try {
                        write(chunk);
                    } catch (IOException e) {
                        answering = false; // the output is gone; keep reading, as close() expects
                    }
                }
            }
        } catch (IOException e) {
            log.debug("connection #{}: echoing ended: {}", record.index(), e.toString());
        }
    }

    /** The replying thread: answers each line until the client closes, then reads on if the output is shut. */
    private void reply(Function<String, Optional<String>> reply) {
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        boolean answering = true;
        try {
            String line;
            while ((line = input.readLine(partial)) != null) {
                Optional<String> answer = answering ? reply.apply(line) : Optional.empty();
                if (answer.isPresent() && !socket.isOutputShutdown()) {
                    try {
                        write((answer.get() + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        answering = false; // the output is gone; keep reading, as close() expects
                    }
                }
            }
        } catch (IOException e) {
            log.debug("connection #{}: replying ended: {}", record.index(), e.toString());
        } catch (RuntimeException e) {
            String failure = "connection #" + record.index() + ", replying(): the reply function threw " + e;
            record.fail(failure);
            log.warn("{}", failure, e);
            Net.closeQuietly(socket);
        }
    }

    /** Waits until the replying thread has read to the end of the client's stream, in place of draining. */
    private void awaitReplier() {
        try {
            replier.join(); // the server's close() closes the socket, which ends it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void drip(byte[] bytes, Duration interval) throws IOException {
        if (bytes.length == 0) {
            return;
        }
        OutputStream out = socket.getOutputStream();
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        drip = done;
        if (aborted) {
            throw new IOException("the server is closing");
        }
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(
                () -> {
                    if (done.isDone()) {
                        return; // the last byte went out; the connection thread cancels this task
                    }
                    try {
                        out.write(bytes[next.get()]);
                        out.flush();
                        if (next.incrementAndGet() == bytes.length) {
                            done.complete(null);
                        }
                    } catch (IOException e) {
                        done.completeExceptionally(e);
                    }
                },
                0,
                interval.toNanos(),
                TimeUnit.NANOSECONDS);
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while dripping", e);
        } finally {
            task.cancel(false);
            drip = null;
        }
    }

    void expectLine(String expected) throws IOException, Mismatch {
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        String line = input.readLine(partial);
        if (line == null) {
            throw new Mismatch("the client closed the connection before sending the expected line "
                    + Diff.quote(expected) + unfinished(partial));
        }
        if (!line.equals(expected)) {
            throw new Mismatch(Diff.lines(expected, line));
        }
    }

    void expectFrame(int prefixBytes, byte[] expected) throws IOException, Mismatch {
        byte[] payload = readFrame(prefixBytes, "expected frame " + Diff.bytes(expected));
        if (!Arrays.equals(payload, expected)) {
            throw new Mismatch(Diff.frames(expected, payload));
        }
    }

    void waitForLine(String description, Predicate<String> match) throws IOException, Mismatch {
        List<String> skipped = new ArrayList<>();
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        String line;
        while ((line = input.readLine(partial)) != null) {
            if (match.test(line)) {
                return;
            }
            skipped.add(Diff.quote(line));
        }
        throw new Mismatch("the client closed the connection before sending a line matching " + description
                + skipped(skipped) + unfinished(partial));
    }

    void waitForFrame(int prefixBytes, String description, Predicate<byte[]> match) throws IOException, Mismatch {
        List<String> skipped = new ArrayList<>();
        while (true) {
            byte[] payload = readFrame(prefixBytes, "a frame matching " + description + skipped(skipped));
            if (match.test(payload.clone())) {
                return;
            }
            skipped.add(Diff.bytes(payload));
        }
    }

    void stopReading() {
        readingStopped = true;
    }

    void halfClose() throws IOException {
        socket.shutdownOutput();
    }

    void stall() throws IOException {
        ended = true;
        if (readingStopped) {
            awaitRelease();
        } else if (replier != null) {
            awaitReplier();
        } else {
            input.drain();
        }
    }

    void close() throws IOException {
        ended = true;
        if (!socket.isOutputShutdown()) {
            socket.shutdownOutput();
        }
        if (replier != null) {
            awaitReplier();
        } else if (!readingStopped) {
            input.drain(); // until the client closes too, so its late bytes do not turn our FIN into a reset
        }
        socket.close();
    }

    void reset() throws IOException {
        ended = true;
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private byte[] readFrame(int prefixBytes, String what) throws IOException, Mismatch {
        byte[] prefix = input.readUpTo(prefixBytes);
        if (prefix.length < prefixBytes) {
            throw new Mismatch("the client closed the connection before sending the " + what
                    + (prefix.length == 0
                            ? ""
                            : " (" + prefix.length + " of " + prefixBytes + " prefix bytes arrived)"));
        }
        long length = Frames.decodeLength(prefix);
        if (length < 0 || length > Script.MAX_READ) {
            throw new Mismatch("length prefix " + Diff.bytes(prefix) + " says " + length
                    + " bytes, outside the kit's limit of 0.." + Script.MAX_READ + "; the " + what + " cannot match");
        }
        byte[] payload = input.readUpTo((int) length);
        if (payload.length < length) {
            throw new Mismatch("the client closed the connection after " + payload.length + " of the frame's " + length
                    + " payload bytes (" + Diff.bytes(payload) + ") while waiting for the " + what);
        }
        return payload;
    }

    private void awaitRelease() {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(int stepIndex, Step step, String message) {
        String failure = "connection #" + record.index() + ", step #" + stepIndex + " " + step + ": " + message;
        record.fail(failure);
        log.warn("{}", failure);
    }

    private static String unfinished(ByteArrayOutputStream partial) {
        return partial.size() == 0 ? "" : "; an unfinished line arrived: " + Diff.bytes(partial.toByteArray());
    }

    private static String skipped(List<String> skipped) {
        if (skipped.isEmpty()) {
            return "";
        }
        List<String> shown = skipped.subList(Math.max(0, skipped.size() - MAX_SKIPPED_SHOWN), skipped.size());
        return "; skipped " + skipped.size() + " (last " + shown.size() + ": " + String.join(", ", shown) + ")";
    }
}
