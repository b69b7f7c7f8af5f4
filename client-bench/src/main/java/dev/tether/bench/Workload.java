/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the feed server sends: messages of one size, framed as LF-terminated lines or behind a 4-byte big-endian
 * length. Every message is ASCII letters, so every client decodes the same text.
 */
public enum Workload {
    /** 64-byte lines. */
    LINES_64(Format.LINES, 64),
    /** 512-byte lines. */
    LINES_512(Format.LINES, 512),
    /** 64-byte messages behind a 4-byte length. */
    LENPREF_64(Format.LENPREF, 64),
    /** 4 KiB messages behind a 4-byte length. */
    LENPREF_4096(Format.LENPREF, 4096);

    /** How messages are delimited. */
    public enum Format {
        /** A LF after each message. */
        LINES,
        /** A 4-byte big-endian length before each message. */
        LENPREF
    }

    /** The longest frame any client accepts; every workload's frames fit. */
    public static final int MAX_FRAME = 8192;

    private final Format format;
    private final int size;

    Workload(Format format, int size) {
        this.format = format;
        this.size = size;
    }

    /** Returns the framing. */
    public Format format() {
        return format;
    }

    /** Returns the size of each message, without its LF or length prefix. */
    public int size() {
        return size;
    }

    /** Returns the bytes each message takes on the wire, LF or length prefix included. */
    public int frameBytes() {
        return size + (format == Format.LINES ? 1 : 4);
    }

    /** Returns how many messages make about {@code bytes} bytes on the wire. */
    public long messagesFor(long bytes) {
        return Math.max(1, bytes / frameBytes());
    }

    /** Writes one frame: the prefix or not, {@code size} letters, the LF or not. */
    public void writeFrame(ByteBuf out) {
        if (format == Format.LENPREF) {
            out.writeInt(size);
        }
        byte[] letters = new byte[size];
        Arrays.fill(letters, (byte) 'x');
        for (int i = 0; i < size; i += 7) {
            letters[i] = (byte) ('a' + i % 26);
        }
        out.writeBytes(letters);
        if (format == Format.LINES) {
            out.writeByte('\n');
        }
    }

    /** Returns the name used in the results: {@code lines-64}, {@code lenpref-4096}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
