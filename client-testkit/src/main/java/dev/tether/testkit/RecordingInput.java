/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Buffered reads of lines and exact byte counts from a socket, recording every byte on its connection. */
final class RecordingInput {
    private final InputStream in;
    private final ServerConnection record;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean ended;

    RecordingInput(InputStream in, ServerConnection record) {
        this.in = in;
        this.record = record;
    }

    /**
     * Returns the next line without {@code \n} or a {@code \r} before it, decoded as UTF-8.
     *
     * @param partial receives the bytes of an unfinished line when the stream ends first
     * @return the line, or null at end of stream
     */
    String readLine(ByteArrayOutputStream partial) throws IOException {
        partial.reset();
        while (true) {
            if (position == limit && !fill()) {
                return null;
            }
            byte b = buffer[position++];
            if (b == '\n') {
                byte[] line = partial.toByteArray();
                int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                return new String(line, 0, length, java.nio.charset.StandardCharsets.UTF_8);
            }
            if (partial.size() >= Script.MAX_READ) {
                throw new IOException("line longer than " + Script.MAX_READ + " bytes");
            }
            partial.write(b);
        }
    }

    /** Returns the next {@code n} bytes, or fewer (what arrived) if the stream ended first. */
    byte[] readUpTo(int n) throws IOException {
        byte[] out = new byte[n];
        int filled = 0;
        while (filled < n) {
            if (position == limit && !fill()) {
                return Arrays.copyOf(out, filled);
            }
            int take = Math.min(n - filled, limit - position);
            System.arraycopy(buffer, position, out, filled, take);
            position += take;
            filled += take;
        }
        return out;
    }

    /** Returns what is buffered, or else the next bytes that arrive; null at end of stream. */
    byte[] readSome() throws IOException {
        if (position == limit && !fill()) {
            return null;
        }
        byte[] out = Arrays.copyOfRange(buffer, position, limit);
        position = limit;
        return out;
    }

    /** Reads and records until end of stream. */
    void drain() throws IOException {
        position = limit;
        while (fill()) {
            position = limit;
        }
    }

    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        int n = in.read(buffer);
        if (n < 0) {
            ended = true;
            record.endOfStream();
            return false;
        }
        record.received(buffer, 0, n);
        position = 0;
        limit = n;
        return true;
    }
}
