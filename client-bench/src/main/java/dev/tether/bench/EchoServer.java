/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The ping-pong benchmark's server: a Netty server on 127.0.0.1 that sends every line it receives straight back,
 * delimiter included.
 *
 * <p>It runs on one thread, on epoll where available, with {@code TCP_NODELAY}, and is the same server for every
 * client. Each line goes back as the slice of the read buffer it arrived in, without a copy or a decode, and the
 * lines of one read leave in one flush.
 */
final class EchoServer implements AutoCloseable {
    /** The longest line it echoes; longer ones close the connection. */
    static final int MAX_LINE = 1024;

    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private final Channel listener;

    EchoServer() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("bench-echo", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        listener = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new LineBasedFrameDecoder(MAX_LINE, false, true))
                                .addLast(new Echo());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    /** Returns the port clients connect to. */
    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Echoes one connection's lines. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object line) {
            ctx.write(line, ctx.voidPromise()); // the decoder's retained slice: released once written
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that hangs up mid-write, or a line that is too long: drop that connection
        }
    }
}
