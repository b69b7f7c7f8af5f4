/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.FrameTooLongException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Cuts frames that end with a delimiter, strips it, and drops frames over the maximum length without losing the
 * frames around them. For lines the delimiter is LF and a CR before it is stripped as well.
 */
final class DelimiterFrameDecoder extends FrameDecoder {
    /** Reads of at least this many bytes are cut by {@link #decodeRun}. */
    private static final int RUN = 256;

    private final byte[] delimiter;
    private final int maxLength;
    private final boolean lines;
    private final String what;

    /** Where to resume the delimiter search, relative to the reader index, so a long frame is scanned once. */
    private int scanned;
    /** True while skipping the rest of an over-long frame up to its delimiter. */
    private boolean discarding;
    /** Bytes of the over-long frame skipped so far. */
    private long discarded;

    private DelimiterFrameDecoder(byte[] delimiter, int maxLength, boolean lines) {
        this.delimiter = delimiter;
        this.maxLength = maxLength;
        this.lines = lines;
        this.what = lines ? "line" : "frame";
    }

    /** Creates a decoder for LF or CRLF terminated lines. */
    static DelimiterFrameDecoder lines(int maxLength) {
        return new DelimiterFrameDecoder(new byte[] {'\n'}, maxLength, true);
    }

    /** Creates a decoder for frames that end with {@code delimiter}. */
    static DelimiterFrameDecoder delimiter(byte[] delimiter, int maxLength) {
        return new DelimiterFrameDecoder(delimiter.clone(), maxLength, false);
    }

    @Override
    boolean hasPartialFrame() {
        return discarding || super.hasPartialFrame();
    }

    /**
     * Up to the first whole delimiter in {@code in}. One that starts in {@code pending} and ends in {@code in} comes
     * earlier, and then more than the frame is copied: the decoding is the same either way.
     */
    @Override
    protected int bytesToComplete(ByteBuf pending, ByteBuf in) {
        if (discarding) {
            return -1;
        }
        int end = indexOfDelimiter(in, in.readerIndex());
        return end < 0 ? -1 : end - in.readerIndex() + delimiter.length;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (delimiter.length == 1 && !discarding && in.readableBytes() >= RUN && in.nioBufferCount() == 1) {
            decodeRun(in, out);
            if (!out.isEmpty()) {
                return;
            }
        }
        decodeOne(ctx, in, out);
    }

    /**
     * Cuts every whole frame of {@code in} in one pass, searching it through a {@link ByteBuffer} view sixteen bytes
     * at a time. Stops short of anything out of the ordinary (an over-long frame), which {@link #decodeOne} then
     * reports once the frames before it have gone on.
     */
    private void decodeRun(ByteBuf in, List<Object> out) {
        int base = in.readerIndex();
        ByteBuffer view = in.nioBuffer(base, in.readableBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int limit = view.limit();
        int start = 0;
        int from = scanned;
        byte value = delimiter[0];
        while (true) {
            int end = indexOf(view, start + from, limit, value);
            if (end < 0) {
                scanned = limit - start; // searched to the end: the next decode resumes there
                break;
            }
            int length = end - start;
            if (lines && length > 0 && view.get(end - 1) == '\r') {
                length--;
            }
            if (length > maxLength) {
                scanned = 0;
                break;
            }
            emit(in, base + start, length, out);
            start = end + 1;
            from = 0;
        }
        in.readerIndex(base + start);
    }

    /** The first {@code value} in {@code view} from {@code from} to {@code to}, or -1; the view is little-endian. */
    private static int indexOf(ByteBuffer view, int from, int to, byte value) {
        long pattern = (value & 0xFFL) * 0x0101010101010101L;
        int i = from;
        for (; i + 16 <= to; i += 16) {
            long a = view.getLong(i) ^ pattern;
            long b = view.getLong(i + 8) ^ pattern;
            // a byte of the value became zero; the lowest marked byte is the first one in the buffer
            long za = (a - 0x0101010101010101L) & ~a & 0x8080808080808080L;
            long zb = (b - 0x0101010101010101L) & ~b & 0x8080808080808080L;
            if ((za | zb) != 0) {
                return za != 0
                        ? i + (Long.numberOfTrailingZeros(za) >>> 3)
                        : i + 8 + (Long.numberOfTrailingZeros(zb) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (view.get(i) == value) {
                return i;
            }
        }
        return -1;
    }

    private void decodeOne(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = indexOfDelimiter(in, start + scanned);
        if (end < 0) {
            // keep a possibly partial delimiter in the buffer; everything before it has been searched
            int searchable = Math.max(0, in.readableBytes() - (delimiter.length - 1));
            if (discarding) {
                discarded += searchable;
                in.skipBytes(searchable);
                scanned = 0;
            } else if (searchable > maxLength + (lines ? 1 : 0)) {
                discarding = true;
                discarded = searchable;
                in.skipBytes(searchable);
                scanned = 0;
            } else {
                scanned = searchable;
            }
            return;
        }
        scanned = 0;
        int length = end - start;
        int next = end + delimiter.length;
        if (lines && length > 0 && in.getByte(end - 1) == '\r') {
            length--;
        }
        if (discarding || length > maxLength) {
            long total = discarding ? discarded + length : length;
            discarding = false;
            discarded = 0;
            in.readerIndex(next);
            ctx.fireExceptionCaught(new FrameTooLongException(
                    what + " of " + total + " bytes exceeds maxLength " + maxLength
                            + "; dropped it and resumed after its delimiter",
                    total,
                    maxLength));
            return;
        }
        emit(in, start, length, out);
        in.readerIndex(next);
    }

    private int indexOfDelimiter(ByteBuf in, int from) {
        int to = in.writerIndex();
        byte first = delimiter[0];
        while (from < to) {
            int i = in.indexOf(from, to, first);
            if (i < 0 || matchesRest(in, i)) {
                return i < 0 || i + delimiter.length <= to ? i : -1;
            }
            from = i + 1;
        }
        return -1;
    }

    private boolean matchesRest(ByteBuf in, int at) {
        int n = delimiter.length;
        if (n == 1) {
            return true;
        }
        if (at + n > in.writerIndex()) {
            return true; // a partial delimiter at the end: the caller waits for more bytes
        }
        for (int k = 1; k < n; k++) {
            if (in.getByte(at + k) != delimiter[k]) {
                return false;
            }
        }
        return true;
    }
}
