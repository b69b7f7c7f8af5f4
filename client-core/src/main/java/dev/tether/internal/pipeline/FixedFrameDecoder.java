/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/** Cuts the stream into frames of one fixed size. */
final class FixedFrameDecoder extends FrameDecoder {
    private final int size;

    /** Creates a decoder for frames of {@code size} bytes. */
    FixedFrameDecoder(int size) {
        this.size = size;
    }

    @Override
    protected int bytesToComplete(ByteBuf pending, ByteBuf in) {
        return size - pending.readableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() >= size) {
            emit(in, in.readerIndex(), size, out);
            in.skipBytes(size);
        }
    }
}
