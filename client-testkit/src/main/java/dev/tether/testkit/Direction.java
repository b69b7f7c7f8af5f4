/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Moves bytes one way through a {@link Link}: a reader thread ({@link #readLoop}) fills a small queue, a writer
 * thread ({@link #writeLoop}) empties it under the {@link Faults}.
 */
final class Direction {
    private static final int CHUNK_BYTES = 16 * 1024;
    private static final int QUEUED_CHUNKS = 16;

    /** A chunk of bytes and the time it arrived. */
    private record Chunk(byte[] bytes, long arrivedNanos) {}

    /** Marks the end of a direction's stream: the sender's FIN, or a link that is gone. */
    private static final Chunk END = new Chunk(new byte[0], 0);

    private final Link link;
    private final Faults faults;
    private final Socket from;
    private final Socket to;
    private final boolean toClient;
    private final SplittableRandom random; // jitter and slice sizes; used by the writer thread only
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private long paceStartNanos = -1; // when the bandwidth cap started counting
    private long pacedBytes;

    Direction(Link link, Faults faults, Socket from, Socket to, boolean toClient, int linkNumber) {
        this.link = link;
        this.faults = faults;
        this.from = from;
        this.to = to;
        this.toClient = toClient;
        this.random = faults.random(linkNumber, toClient);
    }

    void readLoop() {
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            InputStream in = from.getInputStream();
            while (true) {
                faults.awaitNotHeld(link::ended);
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

    void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = queue.take();
                if (chunk == END) {
                    if (!link.ended()) {
                        to.shutdownOutput(); // pass the FIN on
                    }
                    link.directionDone();
                    return;
                }
                awaitUntil(chunk.arrivedNanos() + faults.delayNanos(random));
                write(out, chunk.bytes());
            }
        } catch (IOException | InterruptedException e) {
            link.close(true);
        }
    }

    private void write(OutputStream out, byte[] bytes) throws IOException, InterruptedException {
        int offset = 0;
        while (offset < bytes.length) {
            faults.awaitNotHeld(link::ended);
            int length = Math.min(bytes.length - offset, faults.nextSlice(random));
            if (toClient) {
                long allowed = link.allowedToClient();
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
                link.deliveredToClient(length);
                if (link.allowedToClient() == 0) {
                    link.close(false);
                    return;
                }
            }
        }
    }

    /** Waits until sending {@code length} more bytes keeps this direction within the bandwidth cap. */
    private void pace(int length) throws InterruptedException {
        long rate = faults.bytesPerSecond();
        if (rate == Faults.UNLIMITED) {
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

    private static void awaitUntil(long deadlineNanos) throws InterruptedException {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
