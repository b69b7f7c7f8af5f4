/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.codec.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.Charset;
import java.util.List;

/**
 * A frame decoder that can tell whether a frame has started arriving but is not complete yet, and that can decode
 * each frame where it lies.
 *
 * <p>By default a frame goes down the pipeline as a retained slice of the read buffer, for the codec to decode. With
 * {@link #decodeInPlace(Codec)} it goes as the codec's message, decoded straight from the read buffer: no slice, no
 * reference-count traffic and one handler hop less per frame, the per-message costs that dominate a stream of
 * small messages. The codec handler then passes the message on untouched.
 */
abstract class FrameDecoder extends ByteToMessageDecoder {
    /** The largest frame whose text is decoded through {@link #scratch}; larger ones take an array of their own. */
    private static final int MAX_SCRATCH = 64 * 1024;

    private Charset charset; // decode frames to String in this charset
    private boolean bytes; // or copy them to byte[]
    /**
     * Where a text frame is copied out of a direct buffer to be decoded, reused for every frame of the channel. Netty's
     * own decoder reuses one only for frames up to 1 KiB and takes a new, zeroed array for every larger one.
     */
    private byte[] scratch = new byte[0];

    /**
     * Makes this decoder emit {@code codec}'s messages instead of frame buffers, where the codec allows: lenient text
     * and bytes. A strict text codec keeps frame buffers, since it reports what it cannot decode.
     *
     * @return this decoder
     */
    final FrameDecoder decodeInPlace(Codec<?> codec) {
        if (codec.charset().isEmpty()) {
            bytes = true;
        } else if (!codec.isStrict()) {
            charset = codec.charset().get();
        }
        return this;
    }

    /** Tells whether {@link #decodeInPlace(Codec)} took effect: frames leave as messages, not buffers. */
    final boolean decodesInPlace() {
        return charset != null || bytes;
    }

    /**
     * Completes a frame split across reads by copying only its missing bytes onto the pending part, then decodes the
     * rest of the read where it lies. Netty's cumulator would copy the whole read (up to 256 KiB) behind the pending
     * bytes, and on a fast stream nearly every read ends inside a frame. Cutting a read in two is invisible to the
     * decoding, which takes the stream in pieces of any size anyway.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf in && internalBuffer().isReadable()) {
            int need = bytesToComplete(internalBuffer(), in);
            if (need > 0 && need < in.readableBytes()) {
                try {
                    super.channelRead(ctx, in.readRetainedSlice(need));
                } catch (Throwable t) {
                    in.release(); // the rest of the read goes nowhere now
                    throw t;
                }
                if (ctx.isRemoved()) {
                    ctx.fireChannelRead(in); // as Netty's decoder does with what it holds when it is removed
                } else {
                    super.channelRead(ctx, in);
                }
                return;
            }
        }
        super.channelRead(ctx, msg);
    }

    /**
     * Returns how many bytes at the start of {@code in} complete the frame whose first bytes are {@code pending}, or
     * -1 where that cannot be told (the read is then decoded whole). Moves no index.
     *
     * @param pending the bytes of the unfinished frame, never empty
     * @param in the bytes just read
     * @return the count, or -1
     */
    protected abstract int bytesToComplete(ByteBuf pending, ByteBuf in);

    private String text(ByteBuf in, int index, int length) {
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset() + index, length, charset);
        }
        byte[] copy = scratch;
        if (copy.length < length) {
            copy = new byte[Math.max(length, Math.min(MAX_SCRATCH, 2 * scratch.length))];
            if (copy.length <= MAX_SCRATCH) {
                scratch = copy;
            }
        }
        in.getBytes(index, copy, 0, length);
        return new String(copy, 0, length, charset);
    }

    /** Tells whether bytes of an unfinished frame are pending. Called on the channel's event loop. */
    boolean hasPartialFrame() {
        return internalBuffer().isReadable();
    }

    /** Adds the frame of {@code length} bytes at {@code index} of {@code in} to {@code out}; moves no index. */
    protected final void emit(ByteBuf in, int index, int length, List<Object> out) {
        if (charset != null) {
            out.add(text(in, index, length));
        } else if (bytes) {
            out.add(ByteBufUtil.getBytes(in, index, length, true));
        } else {
            out.add(in.retainedSlice(index, length));
        }
    }
}
