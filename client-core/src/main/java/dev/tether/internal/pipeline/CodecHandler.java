/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.FrameTooLongException;
import dev.tether.MalformedFrameException;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns frames into messages ({@code String} or {@code byte[]}) inbound, and messages into framed bytes outbound:
 * the delimiter or length prefix is added here, so callers send bare messages.
 */
public final class CodecHandler extends ChannelDuplexHandler {
    private final Framing framing;
    private final Framing.Kind kind;
    private final byte[] delimiter;
    private final Charset charset; // null for the bytes codec
    private final boolean utf8;
    private final CharsetDecoder strictDecoder; // null unless the codec is strict

    /** Creates the handler for one channel. */
    public CodecHandler(Framing framing, Codec<?> codec) {
        this.framing = framing;
        this.kind = framing.kind();
        this.delimiter = framing.delimiter();
        this.charset = codec.charset().orElse(null);
        this.utf8 = StandardCharsets.UTF_8.equals(charset);
        this.strictDecoder = codec.isStrict()
                ? charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                : null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Object message;
        try {
            message = charset == null
                    ? ByteBufUtil.getBytes(frame)
                    : strictDecoder == null ? frame.toString(charset) : decodeStrict(ctx, frame);
        } finally {
            frame.release();
        }
        if (message != null) {
            ctx.fireChannelRead(message);
        }
    }

    /** Decodes a frame that must be valid in the charset; reports and drops it (returns null) if it is not. */
    private String decodeStrict(ChannelHandlerContext ctx, ByteBuf frame) {
        ByteBuffer in = frame.nioBuffer();
        int start = in.position();
        CharBuffer out = CharBuffer.allocate((int) (in.remaining() * (double) strictDecoder.maxCharsPerByte()) + 1);
        strictDecoder.reset();
        CoderResult result = strictDecoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = strictDecoder.flush(out);
        }
        if (result.isError()) {
            ctx.fireExceptionCaught(new MalformedFrameException(
                    "invalid " + charset.name() + " at byte " + (in.position() - start) + " of a "
                            + frame.readableBytes() + "-byte frame; dropped it",
                    null));
            return null;
        }
        return out.flip().toString();
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
