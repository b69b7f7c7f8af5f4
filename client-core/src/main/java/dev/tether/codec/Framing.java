/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.codec;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How the byte stream is cut into frames, inbound and outbound.
 *
 * <p>Inbound, the framing decoder cuts frames and strips delimiters or length prefixes; outbound, the framework
 * adds them, so a caller sends and receives bare messages. Immutable; one instance can serve many clients.
 *
 * <pre>{@code
 * Framing.lines(8 * 1024)                              // "text\n" or "text\r\n"
 * Framing.delimiter(new byte[] {0}, 1024)              // NUL-terminated frames
 * Framing.lengthField(4, 1024 * 1024)                  // 4-byte big-endian length, then the frame
 * Framing.fixed(16)                                    // every frame is 16 bytes
 * Framing.raw()                                        // whatever each socket read returned
 * }</pre>
 *
 * @since 0.1
 */
public final class Framing {
    /** The kinds of framing. */
    public enum Kind {
        /** Frames end with LF; a CR before it is stripped too. */
        LINES,
        /** Frames end with a fixed byte sequence. */
        DELIMITER,
        /** Frames start with a big-endian length prefix. */
        LENGTH_FIELD,
        /** Every frame has the same size. */
        FIXED,
        /** No framing: each socket read is one message. */
        RAW
    }

    private static final byte[] LF = {'\n'};
    private static final Framing RAW = new Framing(Kind.RAW, new byte[0], 0, Integer.MAX_VALUE);

    private final Kind kind;
    private final byte[] delimiter;
    private final int lengthFieldSize;
    private final int maxLength;

    private Framing(Kind kind, byte[] delimiter, int lengthFieldSize, int maxLength) {
        this.kind = kind;
        this.delimiter = delimiter;
        this.lengthFieldSize = lengthFieldSize;
        this.maxLength = maxLength;
    }

    /**
     * Lines ending in LF or CRLF. The delimiter is stripped inbound; LF is appended to each sent message.
     *
     * <p>A longer line is dropped whole, reported as a {@link dev.tether.FrameTooLongException} to the listener,
     * and reading resumes after its LF: no other line is lost.
     *
     * @param maxLength the longest line in bytes, without its delimiter; at least 1
     * @return the framing
     * @throws IllegalArgumentException if {@code maxLength} is below 1
     */
    public static Framing lines(int maxLength) {
        return new Framing(Kind.LINES, LF, 0, positive("lines maxLength", maxLength));
    }

    /**
     * Frames that end with the given bytes. The delimiter is stripped inbound and appended to each sent message.
     *
     * @param delimiter the bytes that end a frame; not empty; copied
     * @param maxLength the longest frame in bytes, without its delimiter; at least 1
     * @return the framing
     * @throws IllegalArgumentException if {@code delimiter} is empty or {@code maxLength} is below 1
     */
    public static Framing delimiter(byte[] delimiter, int maxLength) {
        Objects.requireNonNull(delimiter, "delimiter");
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        return new Framing(Kind.DELIMITER, delimiter.clone(), 0, positive("delimiter maxLength", maxLength));
    }

    /**
     * Frames prefixed with their length as a big-endian unsigned integer of 1, 2, 4 or 8 bytes; the prefix counts
     * only the frame that follows it. The prefix is stripped inbound and added to each sent message.
     *
     * <p>A 4- or 8-byte prefix with the top bit set (a negative length), or a length over {@code maxLength}, means
     * the stream is corrupt: the connection is closed with a {@link dev.tether.MalformedFrameException} or a
     * {@link dev.tether.FrameTooLongException}.
     *
     * @param prefixBytes the size of the length prefix: 1, 2, 4 or 8
     * @param maxLength the longest frame in bytes, without the prefix; at least 1
     * @return the framing
     * @throws IllegalArgumentException if {@code prefixBytes} is not 1, 2, 4 or 8, {@code maxLength} is below 1,
     *     or {@code maxLength} is more than the prefix can express (255 for 1 byte, 65535 for 2)
     */
    public static Framing lengthField(int prefixBytes, int maxLength) {
        if (prefixBytes != 1 && prefixBytes != 2 && prefixBytes != 4 && prefixBytes != 8) {
            throw new IllegalArgumentException("lengthField prefixBytes must be 1, 2, 4 or 8, was " + prefixBytes);
        }
        positive("lengthField maxLength", maxLength);
        long expressible = prefixBytes >= 4 ? Integer.MAX_VALUE : (1L << (8 * prefixBytes)) - 1;
        if (maxLength > expressible) {
            throw new IllegalArgumentException("lengthField maxLength (" + maxLength + ") exceeds what a " + prefixBytes
                    + "-byte prefix can express (" + expressible + ")");
        }
        return new Framing(Kind.LENGTH_FIELD, new byte[0], prefixBytes, maxLength);
    }

    /**
     * Frames of exactly {@code size} bytes. Each sent message must have exactly that encoded size.
     *
     * @param size the frame size in bytes; at least 1
     * @return the framing
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public static Framing fixed(int size) {
        return new Framing(Kind.FIXED, new byte[0], 0, positive("fixed size", size));
    }

    /**
     * No framing: each chunk the socket delivers is one message, and sends are written as they are.
     *
     * <p>Chunk boundaries depend on the network, not on the sender: use it for byte streams, or with a handler
     * added through {@link dev.tether.ClientConfig.Builder#addHandler} that does its own framing.
     *
     * @return the framing
     */
    public static Framing raw() {
        return RAW;
    }

    /**
     * Returns the kind of framing.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the delimiter bytes ({@code LF} for lines); empty for the other kinds.
     *
     * @return a copy of the delimiter
     */
    public byte[] delimiter() {
        return delimiter.clone();
    }

    /**
     * Returns the length prefix size in bytes for {@link Kind#LENGTH_FIELD}; 0 for the other kinds.
     *
     * @return 1, 2, 4, 8 or 0
     */
    public int lengthFieldSize() {
        return lengthFieldSize;
    }

    /**
     * Returns the longest frame in bytes, without delimiter or prefix: the frame size for {@link Kind#FIXED}, and
     * {@link Integer#MAX_VALUE} for {@link Kind#RAW}.
     *
     * @return the maximum frame length in bytes
     */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Framing other
                && kind == other.kind
                && lengthFieldSize == other.lengthFieldSize
                && maxLength == other.maxLength
                && Arrays.equals(delimiter, other.delimiter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, lengthFieldSize, maxLength, Arrays.hashCode(delimiter));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LINES -> "lines(" + maxLength + ")";
            case DELIMITER -> "delimiter(0x" + HexFormat.of().formatHex(delimiter) + ", " + maxLength + ")";
            case LENGTH_FIELD -> "lengthField(" + lengthFieldSize + ", " + maxLength + ")";
            case FIXED -> "fixed(" + maxLength + ")";
            case RAW -> "raw()";
        };
    }

    private static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
        return value;
    }
}
