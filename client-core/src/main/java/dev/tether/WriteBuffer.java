/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Bounds the bytes waiting to be written to an open connection's socket, and says what a send does when they are
 * over the bound.
 *
 * <p>A connection is <em>writable</em> while fewer than {@link #highWaterMark()} bytes wait; once over it, it stays
 * unwritable until they drain below {@link #lowWaterMark()}. {@link Connection#isWritable()} tells which, and
 * {@link Connection#whenWritable()} completes when it is writable again: a fast sender paces itself with it. What a
 * send does on an unwritable connection is the policy: {@link #queue(int, int)} (the default) queues it anyway, in
 * memory, and leaves pacing to the caller; {@link #failFast(int, int)} fails it at once with a
 * {@link SendBufferFullException}, so memory stays bounded whatever the caller does.
 *
 * <p>This is about an open connection whose peer reads slower than we write. Sends while disconnected follow the
 * {@link SendBuffer}.
 *
 * @since 0.1
 */
public final class WriteBuffer {
    private static final WriteBuffer DEFAULT = new WriteBuffer(32 * 1024, 64 * 1024, false);

    private final int lowWaterMark;
    private final int highWaterMark;
    private final boolean failFast;

    private WriteBuffer(int lowWaterMark, int highWaterMark, boolean failFast) {
        this.lowWaterMark = lowWaterMark;
        this.highWaterMark = highWaterMark;
        this.failFast = failFast;
    }

    /**
     * Returns the default: writable below 64 KiB waiting, again below 32 KiB; sends queue beyond that.
     *
     * @return the default
     */
    public static WriteBuffer defaults() {
        return DEFAULT;
    }

    /**
     * Returns a policy with these water marks under which sends on an unwritable connection queue anyway.
     *
     * @param lowWaterMark bytes below which an unwritable connection is writable again; 0 or more
     * @param highWaterMark bytes over which a connection is unwritable; at least {@code lowWaterMark}, and above 0
     * @return the policy
     * @throws IllegalArgumentException if the marks are out of range
     */
    public static WriteBuffer queue(int lowWaterMark, int highWaterMark) {
        check(lowWaterMark, highWaterMark);
        return new WriteBuffer(lowWaterMark, highWaterMark, false);
    }

    /**
     * Returns a policy with these water marks under which a send on an unwritable connection fails at once with a
     * {@link SendBufferFullException}, and nothing is queued.
     *
     * @param lowWaterMark bytes below which an unwritable connection is writable again; 0 or more
     * @param highWaterMark bytes over which a connection is unwritable; at least {@code lowWaterMark}, and above 0
     * @return the policy
     * @throws IllegalArgumentException if the marks are out of range
     */
    public static WriteBuffer failFast(int lowWaterMark, int highWaterMark) {
        check(lowWaterMark, highWaterMark);
        return new WriteBuffer(lowWaterMark, highWaterMark, true);
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
     * Tells whether a send on an unwritable connection fails at once.
     *
     * @return true for {@link #failFast}, false for {@link #queue}
     */
    public boolean isFailFast() {
        return failFast;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteBuffer other
                && lowWaterMark == other.lowWaterMark
                && highWaterMark == other.highWaterMark
                && failFast == other.failFast;
    }

    @Override
    public int hashCode() {
        return (lowWaterMark * 31 + highWaterMark) * 31 + (failFast ? 1 : 0);
    }

    @Override
    public String toString() {
        return (failFast ? "failFast(" : "queue(") + lowWaterMark + ", " + highWaterMark + ")";
    }
}
