/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages waiting for {@code receive} and the publisher, handed over a whole socket read at a time.
 *
 * <p>The I/O thread collects the messages of one read and publishes them as one batch when the read completes
 * ({@link #flush()}): one lock per read, not per message. Receivers take messages from the batch at the head with a
 * compare-and-set on its cursor, so several receivers can share the inbox without a lock per message.
 *
 * <p>Bounded by pausing the socket. Whether reading is paused is decided on the connection's event loop only: the
 * loop pauses when a flush brings the inbox to its capacity in messages or bytes, and resumes once it is half empty.
 * A receiver never touches the channel; when the batch it finishes brings the inbox under half, it asks the loop to
 * look again. The loop re-checks the counts after pausing, and a receiver re-checks the pause after counting, so
 * whichever of the two comes second sees the other's change and no order of the two leaves reading paused on an
 * empty inbox. Frames already read when it pauses are still queued, so the inbox can exceed its capacity by at most
 * one read's worth.
 */
final class Inbox<T> {
    private static final Object END = new Object();
    private static final Batch EMPTY = new Batch(new Object[0], 0, 0);

    private final Executor loop;
    private final int capacity;
    private final long capacityBytes;
    private final int resumeAt;
    private final long resumeAtBytes;
    private final Runnable resumeTask = this::resumeOnLoop;

    // Loop only: the read in progress, and the channel it comes from.
    private Object[] filling = new Object[16];
    private int fillingSize;
    private long fillingBytes;
    private Channel channel;

    /** Written on the loop only; read by receivers to decide whether to wake the loop. */
    private volatile boolean paused;

    /** Messages and bytes published and not yet taken, counted a batch at a time: loop adds, receivers subtract. */
    private final AtomicLong queued = new AtomicLong();

    private final AtomicLong queuedBytes = new AtomicLong();
    /** Messages taken since the inbox was made, counted a batch at a time like {@link #queued}. */
    private final AtomicLong taken = new AtomicLong();
    /** Set by the receiver that asked the loop to resume, cleared by the loop before it checks. */
    private final AtomicBoolean resumeAsked = new AtomicBoolean();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private int waiting;

    /** The batch receivers take from; replaced under the lock once it is used up. */
    private volatile Batch current = EMPTY;
    /** Set once, under the lock, after the last batch: the connection is closed for good. */
    private volatile boolean ended;
    /** Set on the loop by a drain: reading stays off whatever the counts say. */
    private boolean stopped;
    /** A drain waiting for the inbox to empty, or null; run on the loop. */
    private volatile Runnable whenEmpty;
    /** Set once by a publisher's subscriber; run on the I/O thread after each batch and after the end. */
    private volatile Runnable onAdd;

    /**
     * Creates an inbox bounded by {@code capacity} messages and {@code capacityBytes} bytes, whose pause and resume
     * run on {@code loop}, the event loop of every channel the connection opens.
     */
    Inbox(int capacity, long capacityBytes, Executor loop) {
        this.capacity = capacity;
        this.capacityBytes = capacityBytes;
        this.resumeAt = capacity / 2;
        this.resumeAtBytes = capacityBytes / 2;
        this.loop = loop;
    }

    /** Called on the loop when a channel opens (again, after a reconnect). */
    void attach(Channel channel) {
        this.channel = channel;
        if (paused || stopped) {
            channel.config().setAutoRead(false); // still full from the last channel: the new one waits too
        }
    }

    /** Called on the loop for each message of a read; {@link #flush()} hands them over. */
    void add(T message) {
        if (fillingSize == filling.length) {
            filling = Arrays.copyOf(filling, fillingSize * 2);
        }
        filling[fillingSize++] = message;
        fillingBytes += sizeOf(message);
    }

    /** Called on the loop when a read completes: publishes its messages as one batch, and pauses if full. */
    void flush() {
        if (fillingSize == 0) {
            return;
        }
        Batch batch = new Batch(Arrays.copyOf(filling, fillingSize), fillingSize, fillingBytes);
        Arrays.fill(filling, 0, fillingSize, null);
        fillingSize = 0;
        fillingBytes = 0;
        lock.lock();
        try {
            batches.add(batch);
            if (waiting > 0) {
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
        long messages = queued.addAndGet(batch.size);
        long bytes = queuedBytes.addAndGet(batch.bytes);
        if (!paused && (messages >= capacity || bytes >= capacityBytes)) {
            pause();
        }
        notifyListener();
    }

    /** Called once on the loop, when the connection is closed for good: hands over the rest, wakes every receiver. */
    void end() {
        flush();
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        notifyListener();
    }

    /** Messages published and not yet taken; from any thread. */
    long queuedMessages() {
        return queued.get();
    }

    /** Messages taken since the inbox was made; from any thread. */
    long takenMessages() {
        return taken.get();
    }

    /** The inbox's measure ({@link #sizeOf}) of the messages published and not yet taken; from any thread. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Called on the loop by a drain: stops reading from the socket for good, whatever receivers take. */
    void stopReading() {
        stopped = true;
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    /**
     * Runs {@code task} on the loop once every published message has been taken, at once if none waits; null
     * cancels. Called on the loop, after {@link #stopReading()}; the count falls from then on, but for a read that
     * was already under way (io_uring's recv in flight), which the caller checks for.
     */
    void whenEmpty(Runnable task) {
        whenEmpty = task;
        if (task != null && queued.get() == 0) {
            whenEmpty = null;
            task.run();
        }
    }

    /** Sets what runs after each batch is published, and after the end: a publisher's wake-up. */
    void onAdd(Runnable listener) {
        this.onAdd = listener;
    }

    /**
     * Takes the next message without waiting: the message, {@link #END} once the connection is closed and every
     * message taken, or null if nothing waits.
     */
    Object pollNow() {
        while (true) {
            Batch batch = current;
            int index = batch.claim();
            if (index >= 0) {
                if (index == batch.size - 1) {
                    taken(batch);
                }
                return batch.items[index];
            }
            lock.lock();
            try {
                if (current == batch) { // nobody moved on meanwhile
                    Batch next = batches.poll();
                    if (next == null) {
                        return ended ? END : null;
                    }
                    current = next;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits up to {@code nanos} for the next message: the message, {@link #END} once the connection is closed and
     * every message taken, or null if none came in time.
     */
    Object poll(long nanos) throws InterruptedException {
        Object message = pollNow();
        if (message != null || nanos <= 0) {
            return message;
        }
        long deadline = System.nanoTime() + nanos;
        while (message == null && nanos > 0) {
            lock.lockInterruptibly();
            try {
                waiting++;
                try {
                    while (nanos > 0 && batches.isEmpty() && !ended && current.isUsedUp()) {
                        nanos = arrived.awaitNanos(nanos);
                    }
                } finally {
                    waiting--;
                }
            } finally {
                lock.unlock();
            }
            message = pollNow();
            nanos = deadline - System.nanoTime();
        }
        return message;
    }

    /** Tells whether the connection is closed for good and every message has been taken. */
    boolean endedAndDrained() {
        if (!ended || !current.isUsedUp()) {
            return false;
        }
        lock.lock();
        try {
            return batches.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    static boolean isEnd(Object message) {
        return message == END;
    }

    /** Counts a whole batch as taken, and asks the loop to resume reading if that brings the inbox under half. */
    private void taken(Batch batch) {
        taken.addAndGet(batch.size);
        long messages = queued.addAndGet(-batch.size);
        long bytes = queuedBytes.addAndGet(-batch.bytes);
        Runnable drain = whenEmpty;
        if (messages == 0 && drain != null) {
            try {
                loop.execute(drain); // the drain looks again on the loop, and finishes once
            } catch (RejectedExecutionException shutDown) {
                // the client is gone, and the drain with it
            }
        }
        if (paused && belowHalf(messages, bytes) && resumeAsked.compareAndSet(false, true)) {
            try {
                loop.execute(resumeTask);
            } catch (RejectedExecutionException shutDown) {
                resumeAsked.set(false); // the client is closed: nothing left to read
            }
        }
    }

    private void pause() {
        paused = true;
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
        // A receiver that took the rest while we decided saw no pause, so asked nobody to resume: look again.
        resumeOnLoop();
    }

    private void resumeOnLoop() {
        resumeAsked.set(false); // before the check: a batch taken after it asks again
        if (paused && !stopped && belowHalf(queued.get(), queuedBytes.get())) {
            paused = false;
            if (channel != null) {
                channel.config().setAutoRead(true);
            }
        }
    }

    private boolean belowHalf(long messages, long bytes) {
        return messages <= resumeAt && bytes <= resumeAtBytes;
    }

    private void notifyListener() {
        Runnable listener = onAdd;
        if (listener != null) {
            listener.run();
        }
    }

    /** The inbox's measure of a message: an array's length, or a string's length in chars. */
    static long sizeOf(Object message) {
        if (message instanceof byte[] bytes) {
            return bytes.length;
        }
        return message instanceof CharSequence text ? text.length() : 0;
    }

    /** The messages of one read; the inherited int is the index of the next one to take. */
    @SuppressWarnings("serial") // never serialised
    private static final class Batch extends AtomicInteger {
        final Object[] items;
        final int size;
        final long bytes;

        Batch(Object[] items, int size, long bytes) {
            this.items = items;
            this.size = size;
            this.bytes = bytes;
        }

        /** Claims the next message: its index, or -1 if every message has been claimed. */
        int claim() {
            while (true) {
                int index = get();
                if (index >= size) {
                    return -1;
                }
                if (compareAndSet(index, index + 1)) {
                    return index;
                }
            }
        }

        boolean isUsedUp() {
            return get() >= size;
        }
    }
}
