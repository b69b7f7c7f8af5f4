/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

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

/**
 * Turns frames into messages ({@code String} or {@code byte[]}) inbound, and messages into framed bytes outbound
 * (through a {@link CodecEncoder}). Used where the frame decoder hands out frame buffers: with raw framing, and with a
 * strict text codec, which reports the frames it cannot decode.
 */
final class CodecHandler extends ChannelDuplexHandler {
    private final CodecEncoder encoder;
    private final Charset charset; // null for the bytes codec
    private final CharsetDecoder strictDecoder; // null unless the codec is strict

    /** Creates the handler for one channel. */
    CodecHandler(Framing framing, Codec<?> codec) {
        this.encoder = new CodecEncoder(framing, codec);
        this.charset = codec.charset().orElse(null);
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
        encoder.write(ctx, msg, promise);
    }
}
