/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.util.Objects;

/**
 * What happens to a send while a connection is down and reconnecting: rejected at once, or held in a bounded
 * buffer and written, in order, once the connection is back.
 *
 * <p>A buffered send's future completes only when its bytes are written to the new connection, and fails with a
 * clear error when the buffer is full, when reconnecting gives up, or when the connection is closed: nothing is
 * dropped silently. Bytes already handed to a socket that then died cannot be confirmed or resent; their sends
 * completed when written, which is all TCP can promise. Immutable, so one instance can serve many clients.
 *
 * <pre>{@code
 * SendBuffer.bounded(10_000, 8 * 1024 * 1024)   // the default
 * SendBuffer.disabled()                         // fail fast while disconnected
 * }</pre>
 *
 * @since 0.1
 */
public final class SendBuffer {
    private static final SendBuffer DISABLED = new SendBuffer(0, 0);

    private final int maxMessages;
    private final long maxBytes;

    private SendBuffer(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Rejects sends while disconnected: their futures fail at once with {@link ConnectionClosedException}.
     *
     * @return the policy
     */
    public static SendBuffer disabled() {
        return DISABLED;
    }

    /**
     * Holds up to {@code maxMessages} sends, and up to {@code maxBytes} of their frames (the encoded message plus
     * the delimiter or length prefix), while disconnected; a send beyond either bound fails with
     * {@link SendRejectedException}.
     *
     * @param maxMessages 1 to 10,000,000
     * @param maxBytes 1 byte to 1 GiB
     * @return the policy
     * @throws IllegalArgumentException if out of range
     */
    public static SendBuffer bounded(int maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxMessages > 10_000_000) {
            throw new IllegalArgumentException("sendBuffer maxMessages must be in 1..10000000, was " + maxMessages);
        }
        if (maxBytes < 1 || maxBytes > 1L << 30) {
            throw new IllegalArgumentException("sendBuffer maxBytes must be in 1..1073741824, was " + maxBytes);
        }
        return new SendBuffer(maxMessages, maxBytes);
    }

    /**
     * Returns how many sends may wait; 0 for {@link #disabled()}.
     *
     * @return the message bound
     */
    public int maxMessages() {
        return maxMessages;
    }

    /**
     * Returns how many frame bytes may wait; 0 for {@link #disabled()}.
     *
     * @return the byte bound
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Tells whether sends wait while disconnected.
     *
     * @return {@code false} for {@link #disabled()}
     */
    public boolean isEnabled() {
        return maxMessages > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SendBuffer other && maxMessages == other.maxMessages && maxBytes == other.maxBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxMessages, maxBytes);
    }

    @Override
    public String toString() {
        return isEnabled()
                ? "SendBuffer{maxMessages=" + maxMessages + ", maxBytes=" + maxBytes + "}"
                : "SendBuffer{disabled}";
    }
}
