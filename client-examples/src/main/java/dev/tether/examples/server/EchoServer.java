/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;

/**
 * Sends every byte it receives straight back, whatever the framing: a server to try any client setting against.
 */
public final class EchoServer extends DemoServer {
    /** Creates the server; {@link #start(int)} opens it. */
    public EchoServer() {
        super("echo");
    }

    @Override
    protected void initClient(SocketChannel channel) {
        channel.pipeline().addLast(new EchoHandler());
    }

    /** Echoes one client. */
    private final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg); // the buffer goes back as it came; Netty releases it once written
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // a client that sends but does not read would make us buffer without limit: stop reading until it does
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            dropClient(ctx, cause);
        }
    }
}
