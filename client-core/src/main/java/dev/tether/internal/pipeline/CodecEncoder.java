/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.FrameTooLongException;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Turns messages ({@code String} or {@code byte[]}) into framed bytes: the delimiter or length prefix is added here,
 * so callers send bare messages. It stands alone where the frame decoder hands out messages itself, so that inbound
 * messages skip it, and inside {@link CodecHandler} where frames still need decoding.
 */
final class CodecEncoder extends ChannelOutboundHandlerAdapter {
    private final Framing framing;
    private final Framing.Kind kind;
    private final byte[] delimiter;
    private final Charset charset; // null for the bytes codec
    private final boolean utf8;

    /** Creates the encoder for one channel. */
    CodecEncoder(Framing framing, Codec<?> codec) {
        this.framing = framing;
        this.kind = framing.kind();
        this.delimiter = framing.delimiter();
        this.charset = codec.charset().orElse(null);
        this.utf8 = StandardCharsets.UTF_8.equals(charset);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ByteBuf out;
        if (msg instanceof String s) {
            out = encodeString(ctx, s);
        } else if (msg instanceof byte[] bytes) {
            out = frame(ctx, bytes.length).writeBytes(bytes);
        } else {
            // a ByteBuf from a user handler, or anything else: not ours to frame
            ctx.write(msg, promise);
            return;
        }
        try {
            checkFrame(out);
        } catch (RuntimeException e) {
            out.release();
            promise.setFailure(e);
            return;
        }
        if (delimiter.length > 0) {
            out.writeBytes(delimiter);
        }
        ctx.write(out, promise);
    }

    private ByteBuf encodeString(ChannelHandlerContext ctx, String s) {
        if (utf8) {
            int length = ByteBufUtil.utf8Bytes(s);
            ByteBuf out = frame(ctx, length);
            ByteBufUtil.reserveAndWriteUtf8(out, s, length);
            return out;
        }
        // a bytes codec has no charset; a String written by a user handler is then sent as UTF-8
        byte[] bytes = s.getBytes(charset == null ? StandardCharsets.UTF_8 : charset);
        return frame(ctx, bytes.length).writeBytes(bytes);
    }

    /** Allocates a buffer for a payload of {@code length} bytes with room for the delimiter, prefix written. */
    private ByteBuf frame(ChannelHandlerContext ctx, int length) {
        int prefix = framing.lengthFieldSize();
        ByteBuf out = ctx.alloc().ioBuffer(prefix + length + delimiter.length);
        switch (prefix) {
            case 1 -> out.writeByte(length);
            case 2 -> out.writeShort(length);
            case 4 -> out.writeInt(length);
            case 8 -> out.writeLong(length);
            default -> {}
        }
        return out;
    }

    private void checkFrame(ByteBuf out) {
        int prefix = framing.lengthFieldSize();
        int length = out.readableBytes() - prefix;
        if (kind == Framing.Kind.FIXED && length != framing.maxLength()) {
            throw new IllegalArgumentException(
                    "fixed framing needs messages of exactly " + framing.maxLength() + " bytes, was " + length);
        }
        if (length > framing.maxLength()) {
            throw new FrameTooLongException(
                    "message of " + length + " bytes exceeds " + framing + " maxLength " + framing.maxLength()
                            + "; nothing was sent",
                    length,
                    framing.maxLength());
        }
        if (delimiter.length > 0 && contains(out, delimiter)) {
            throw new IllegalArgumentException("message contains the " + (kind == Framing.Kind.LINES ? "line " : "")
                    + "delimiter, which would split it into several frames; " + framing + " cannot carry it");
        }
    }

    private static boolean contains(ByteBuf buf, byte[] delimiter) {
        int from = buf.readerIndex();
        int to = buf.writerIndex() - delimiter.length + 1;
        while (from < to) {
            int i = buf.indexOf(from, to, delimiter[0]);
            if (i < 0) {
                return false;
            }
            int k = 1;
            while (k < delimiter.length && buf.getByte(i + k) == delimiter[k]) {
                k++;
            }
            if (k == delimiter.length) {
                return true;
            }
            from = i + 1;
        }
        return false;
    }
}
