/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Bounds the bytes waiting to be written to an open connection's socket, and says what a send does when they are
 * over the bound.
 *
 * <p>A connection is <em>writable</em> while fewer than {@link #highWaterMark()} bytes wait, counted as each send's
 * frame from the moment {@code send} is called. {@link Connection#isWritable()} tells which, and a
 * {@link Connection#whenWritable()} future taken while it is not completes once they drain below
 * {@link #lowWaterMark()} (or to none): a fast sender paces itself with it. Sends
 * on an unwritable connection still queue, up to {@link #maxPendingBytes()} waiting bytes; past that a send fails at
 * once with a {@link SendRejectedException}, so memory stays bounded whatever the caller does:
 *
 * <ul>
 *   <li>{@link #defaults()}: writable below 64 KiB, sends fail once 8 MiB wait: room for bursts, a bound for
 *       runaways;
 *   <li>{@link #bounded(int, int, long)}: the same with other figures;
 *   <li>{@link #failFast(int, int)}: a send on an unwritable connection fails at once, nothing queues past the
 *       high water mark;
 *   <li>{@link #unbounded(int, int)}: no bound at all; pacing is the caller's job.
 * </ul>
 *
 * <p>This is about an open connection whose peer reads slower than we write. Sends while disconnected follow the
 * {@link SendBuffer}. Immutable, so one instance can serve many clients.
 *
 * @since 0.1
 */
public final class WriteBuffer {
    private static final long UNBOUNDED = Long.MAX_VALUE;
    private static final WriteBuffer DEFAULT = new WriteBuffer(32 * 1024, 64 * 1024, 8L << 20);

    private final int lowWaterMark;
    private final int highWaterMark;
    private final long maxPendingBytes;

    private WriteBuffer(int lowWaterMark, int highWaterMark, long maxPendingBytes) {
        this.lowWaterMark = lowWaterMark;
        this.highWaterMark = highWaterMark;
        this.maxPendingBytes = maxPendingBytes;
    }

    /**
     * Returns the default: unwritable once 64 KiB wait, writable again below 32 KiB, and sends fail once 8 MiB wait.
     *
     * @return the default
     */
    public static WriteBuffer defaults() {
        return DEFAULT;
    }

    /**
     * Returns a policy with these water marks under which sends on an unwritable connection queue until
     * {@code maxPendingBytes} wait, and fail after that.
     *
     * @param lowWaterMark bytes below which an unwritable connection is writable again; 0 or more
     * @param highWaterMark bytes over which a connection is unwritable; at least {@code lowWaterMark}, and above 0
     * @param maxPendingBytes bytes waiting past which sends fail; at least {@code highWaterMark}
     * @return the policy
     * @throws IllegalArgumentException if a figure is out of range
     */
    public static WriteBuffer bounded(int lowWaterMark, int highWaterMark, long maxPendingBytes) {
        check(lowWaterMark, highWaterMark);
        if (maxPendingBytes < highWaterMark) {
            throw new IllegalArgumentException(
                    "maxPendingBytes must be >= the high water mark " + highWaterMark + ", was " + maxPendingBytes);
        }
        return new WriteBuffer(lowWaterMark, highWaterMark, maxPendingBytes);
    }

    /**
     * Returns an unbounded policy: these water marks, under which sends on an unwritable connection queue without any
     * bound, so they never fail for lack of room. Memory is then bounded only by a caller that paces itself with
     * {@link Connection#isWritable()} or {@link Connection#whenWritable()}.
     *
     * @param lowWaterMark bytes below which an unwritable connection is writable again; 0 or more
     * @param highWaterMark bytes over which a connection is unwritable; at least {@code lowWaterMark}, and above 0
     * @return the policy
     * @throws IllegalArgumentException if the marks are out of range
     */
    public static WriteBuffer unbounded(int lowWaterMark, int highWaterMark) {
        check(lowWaterMark, highWaterMark);
        return new WriteBuffer(lowWaterMark, highWaterMark, UNBOUNDED);
    }

    /**
     * Returns a policy with these water marks under which a send on an unwritable connection fails at once with a
     * {@link SendRejectedException}, and nothing is queued.
     *
     * @param lowWaterMark bytes below which an unwritable connection is writable again; 0 or more
     * @param highWaterMark bytes over which a connection is unwritable; at least {@code lowWaterMark}, and above 0
     * @return the policy
     * @throws IllegalArgumentException if the marks are out of range
     */
    public static WriteBuffer failFast(int lowWaterMark, int highWaterMark) {
        check(lowWaterMark, highWaterMark);
        return new WriteBuffer(lowWaterMark, highWaterMark, highWaterMark);
    }

    private static void check(int low, int high) {
        if (low < 0 || high <= 0 || low > high) {
            throw new IllegalArgumentException(
                    "write buffer water marks must satisfy 0 <= low <= high and high > 0, were low " + low + ", high "
                            + high);
        }
    }

    /**
     * Returns the bytes below which an unwritable connection becomes writable again.
     *
     * @return the low water mark
     */
    public int lowWaterMark() {
        return lowWaterMark;
    }

    /**
     * Returns the bytes over which a connection becomes unwritable.
     *
     * @return the high water mark
     */
    public int highWaterMark() {
        return highWaterMark;
    }

    /**
     * Returns how many bytes may wait before sends on an unwritable connection fail; {@link Long#MAX_VALUE} for
     * {@link #unbounded(int, int)}, the high water mark for {@link #failFast(int, int)}.
     *
     * @return the bound
     */
    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteBuffer other
                && lowWaterMark == other.lowWaterMark
                && highWaterMark == other.highWaterMark
                && maxPendingBytes == other.maxPendingBytes;
    }

    @Override
    public int hashCode() {
        return (lowWaterMark * 31 + highWaterMark) * 31 + Long.hashCode(maxPendingBytes);
    }

    @Override
    public String toString() {
        String marks = "lowWaterMark=" + lowWaterMark + ", highWaterMark=" + highWaterMark;
        if (maxPendingBytes == UNBOUNDED) {
            return "WriteBuffer{unbounded, " + marks + "}";
        }
        if (maxPendingBytes == highWaterMark) {
            return "WriteBuffer{failFast, " + marks + "}";
        }
        return "WriteBuffer{" + marks + ", maxPendingBytes=" + maxPendingBytes + "}";
    }
}
