/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;

/**
 * Sends each client the same numbered messages, as fast as the connection takes them, then hangs up: the server side
 * of the {@code tail} and {@code stream} examples.
 *
 * <p>Message {@code n} (counting from 1) is exactly {@code size} bytes: {@code n} in decimal, a space, then lowercase
 * letters, for example {@code "7 abcdefgh"} for size 10. A size too small for that holds the first digits of
 * {@code n} only. The {@link WireFormat} adds its LF or length prefix, which {@code size} does not count.
 *
 * <p>The speed comes from batching: messages are copied into 64 KiB buffers, so the cost of a write is paid once per
 * few hundred messages, and the letters are built once. Memory stays bounded because the server writes only while
 * the connection is writable and resumes when it drains.
 */
public final class FeedServer extends DemoServer {
    /** The largest message size, in bytes. */
    public static final int MAX_SIZE = 1024 * 1024;

    private static final int CHUNK_BYTES = 64 * 1024;

    private final long messages;
    private final int size;
    private final WireFormat format;
    private final byte[] letters;

    /**
     * Creates the server; {@link #start(int)} opens it.
     *
     * @param messages how many messages each client gets; 0 or more
     * @param size the size of each message in bytes, without LF or length prefix; 1 to {@link #MAX_SIZE}
     * @param format how messages are delimited
     * @throws IllegalArgumentException if {@code messages} or {@code size} is out of range
     */
    public FeedServer(long messages, int size, WireFormat format) {
        super("feed");
        if (messages < 0) {
            throw new IllegalArgumentException("messages must be >= 0, was " + messages);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in 1.." + MAX_SIZE + ", was " + size);
        }
        this.messages = messages;
        this.size = size;
        this.format = Objects.requireNonNull(format, "format");
        this.letters = new byte[size];
        for (int i = 0; i < size; i++) {
            letters[i] = (byte) ('a' + i % 26);
        }
    }

    @Override
    protected void initClient(SocketChannel channel) {
        channel.pipeline().addLast(new FeedHandler());
    }

    /** Feeds one client; runs on the server's I/O thread. */
    private final class FeedHandler extends ChannelInboundHandlerAdapter {
        private final byte[] digits = new byte[20]; // room for any long
        private long next = 1;
        private boolean finished;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            feed(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                feed(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // a feed does not listen
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            dropClient(ctx, cause);
        }

        /** Writes until everything is sent or the connection has enough unsent data; then waits to be called again. */
        private void feed(ChannelHandlerContext ctx) {
            while (next <= messages && ctx.channel().isWritable()) {
                ctx.writeAndFlush(nextChunk(ctx.alloc()), ctx.voidPromise());
            }
            if (next > messages && !finished) {
                finished = true;
                // the empty write completes once everything before it is on the wire: hang up then
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Returns a buffer holding the next messages, as many as fit in 64 KiB (at least one). */
        private ByteBuf nextChunk(ByteBufAllocator alloc) {
            int frameBytes = format.overhead() + size;
            long count = Math.min(messages - next + 1, Math.max(1, CHUNK_BYTES / frameBytes));
            ByteBuf chunk = alloc.ioBuffer((int) count * frameBytes);
            for (long end = next + count; next < end; next++) {
                if (format == WireFormat.LENPREF) {
                    chunk.writeInt(size);
                }
                writeMessage(chunk, next);
                if (format == WireFormat.LINES) {
                    chunk.writeByte('\n');
                }
            }
            return chunk;
        }

        /** Writes message {@code n}: its number, a space, then letters up to {@code size} bytes. */
        private void writeMessage(ByteBuf out, long n) {
            int start = digits.length;
            long rest = n;
            do {
                digits[--start] = (byte) ('0' + rest % 10);
                rest /= 10;
            } while (rest > 0);
            int numberBytes = Math.min(digits.length - start, size);
            out.writeBytes(digits, start, numberBytes);
            if (numberBytes < size) {
                out.writeByte(' ');
                out.writeBytes(letters, 0, size - numberBytes - 1);
            }
        }
    }
}
