/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

/**
 * How {@link FeedServer} marks where one message ends and the next begins.
 *
 * <p>On the client side each format has a matching {@code dev.tether.codec.Framing}.
 */
public enum WireFormat {
    /** Each message is followed by LF; read it with {@code Framing.lines(max)}. */
    LINES(1),
    /**
     * Each message is preceded by its length, a 4-byte big-endian integer; read it with
     * {@code Framing.lengthField(4, max)}.
     */
    LENPREF(4);

    private final int overhead;

    WireFormat(int overhead) {
        this.overhead = overhead;
    }

    /**
     * Returns how many bytes the format adds to each message.
     *
     * @return 1 for the LF of {@link #LINES}, 4 for the prefix of {@link #LENPREF}
     */
    public int overhead() {
        return overhead;
    }
}
