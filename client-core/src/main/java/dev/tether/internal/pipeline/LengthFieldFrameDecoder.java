/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.ClientException;
import dev.tether.FrameTooLongException;
import dev.tether.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * Cuts frames that start with a big-endian length prefix of 1, 2, 4 or 8 bytes and strips the prefix. A negative or
 * over-long length means the stream is corrupt: the rest is discarded and the connection is closed.
 */
final class LengthFieldFrameDecoder extends FrameDecoder {
    private final int prefixBytes;
    private final int maxLength;
    private boolean corrupt;

    /** Creates a decoder for a prefix of {@code prefixBytes} bytes and frames up to {@code maxLength} bytes. */
    LengthFieldFrameDecoder(int prefixBytes, int maxLength) {
        this.prefixBytes = prefixBytes;
        this.maxLength = maxLength;
    }

    @Override
    protected int bytesToComplete(ByteBuf pending, ByteBuf in) {
        int have = pending.readableBytes();
        if (corrupt || have + in.readableBytes() < prefixBytes) {
            return -1;
        }
        long length = 0; // read as decode reads it: a 4- or 8-byte prefix with the top bit set is negative
        for (int i = 0; i < prefixBytes; i++) {
            byte b = i < have ? pending.getByte(pending.readerIndex() + i) : in.getByte(in.readerIndex() + i - have);
            length = (length << 8) | (b & 0xFF);
        }
        if (prefixBytes == 4) {
            length = (int) length;
        }
        if (length < 0 || length > maxLength) {
            return -1; // decode reports it
        }
        return (int) (prefixBytes + length - have);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupt) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < prefixBytes) {
            return;
        }
        int at = in.readerIndex();
        long length = switch (prefixBytes) {
            case 1 -> in.getUnsignedByte(at);
            case 2 -> in.getUnsignedShort(at);
            case 4 -> in.getInt(at);
            default -> in.getLong(at);
        };
        if (length < 0) {
            fail(
                    ctx,
                    in,
                    new MalformedFrameException(
                            "length prefix is negative (" + length + "): the stream is corrupt", null));
            return;
        }
        if (length > maxLength) {
            fail(
                    ctx,
                    in,
                    new FrameTooLongException(
                            "length prefix announces a frame of " + length + " bytes, over maxLength " + maxLength
                                    + ": the stream is corrupt",
                            length,
                            maxLength));
            return;
        }
        if (in.readableBytes() - prefixBytes < length) {
            return;
        }
        emit(in, at + prefixBytes, (int) length, out);
        in.skipBytes(prefixBytes + (int) length);
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, ClientException error) {
        // frame boundaries after a bad prefix cannot be found again, so nothing after it is trusted
        corrupt = true;
        in.skipBytes(in.readableBytes());
        ctx.fireExceptionCaught(new ChannelFatalException(error));
    }
}
