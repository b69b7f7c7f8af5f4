/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs another peer with a deadline, so that one run that never ends cannot hang the benchmark: each run goes on a
 * thread of its own, and if it has not ended in time that thread is interrupted, which ends every peer's wait
 * ({@code receive}, a future's {@code get}) and closes its client on the way out, and the run is reported as
 * {@link RunStalledException}.
 */
final class BoundedPeer implements Peer {
    /** How long an interrupted run may take to close its client (Tether's close timeout is 5 s) before it is left. */
    static final Duration UNWIND = Duration.ofSeconds(15);

    private final Peer peer;
    private final Duration deadline;

    BoundedPeer(Peer peer, Duration deadline) {
        this.peer = peer;
        this.deadline = deadline;
    }

    @Override
    public String name() {
        return peer.name();
    }

    @Override
    public String transport() {
        return peer.transport();
    }

    @Override
    public String tls() {
        return peer.tls();
    }

    /**
     * Runs the peer's {@code receive} within the deadline.
     *
     * @throws RunStalledException if it did not end in time; its client has been closed, unless the message says
     *     its thread did not stop
     */
    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread run = new Thread(
                () -> {
                    try {
                        result.complete(peer.receive(workload, messages, port));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                },
                "bench-run-" + peer.name());
        run.setDaemon(true); // one that ignores the interrupt must not keep the JVM alive
        run.start();
        try {
            return result.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception failure) {
                throw failure;
            }
            throw e;
        } catch (TimeoutException e) {
            run.interrupt();
            run.join(UNWIND.toMillis());
            throw new RunStalledException(String.format(
                    Locale.ROOT,
                    "%s (%s) on %s: stalled, no end within %.1f s%s",
                    peer.name(),
                    peer.transport(),
                    workload.label(),
                    deadline.toMillis() / 1000.0,
                    run.isAlive() ? "; its thread did not stop within " + UNWIND.toSeconds() + " s and was left" : ""));
        }
    }

    @Override
    public void close() throws Exception {
        peer.close();
    }
}
