/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's feed: a Netty server on 127.0.0.1 that sends each connection the messages of the current
 * workload as fast as the connection takes them, then closes it.
 *
 * <p>It is built to cost as little as possible, so that the client is what is measured: frames are laid out once in
 * a 64 KiB block, and each write sends a slice of that block without copying. It runs on one thread, on epoll where
 * available, and is the same server for every client.
 *
 * <p>With an {@link SslContext} it speaks TLS: a server-side {@link SslHandler} first in each connection's pipeline,
 * which encrypts the slices on the server's one thread; it notes the protocol and cipher suite of every handshake.
 */
final class FeedServer implements AutoCloseable {
    private static final int BLOCK_BYTES = 64 * 1024;

    private final EventLoopGroup group;
    private final Channel listener;
    private final List<ByteBuf> blocks = new CopyOnWriteArrayList<>();
    private final Set<String> sessions = new ConcurrentSkipListSet<>(); // "TLSv1.3 TLS_AES_128_GCM_SHA256"
    private volatile Run run; // what the next connection gets

    private record Run(ByteBuf block, int framesPerBlock, int frameBytes, long messages) {}

    /** A feed over plain TCP. */
    FeedServer() throws InterruptedException {
        this(null);
    }

    /** A feed over TLS with {@code tls}, a server's context, or over plain TCP if it is null. */
    FeedServer(SslContext tls) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("bench-feed", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        listener = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(channel.alloc());
                            ssl.handshakeFuture().addListener(handshake -> {
                                if (handshake.isSuccess()) {
                                    sessions.add(ssl.engine().getSession().getProtocol() + " "
                                            + ssl.engine().getSession().getCipherSuite());
                                }
                            });
                            channel.pipeline().addLast(ssl);
                        }
                        channel.pipeline().addLast(new Feed(run));
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

    /** Returns the protocol and cipher suite of every TLS handshake so far, each once, sorted; none over TCP. */
    Set<String> sessions() {
        return new TreeSet<>(sessions);
    }

    /** Makes the next connections receive {@code messages} messages of {@code workload}. */
    void prepare(Workload workload, long messages) {
        ByteBuf block = Unpooled.directBuffer(BLOCK_BYTES);
        int frames = BLOCK_BYTES / workload.frameBytes();
        for (int i = 0; i < frames; i++) {
            workload.writeFrame(block);
        }
        blocks.add(block); // an old block may still be in a connection's outbound buffer: freed with the server
        run = new Run(Unpooled.unreleasableBuffer(block), frames, workload.frameBytes(), messages);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        blocks.forEach(ByteBuf::release);
    }

    /** Feeds one connection. */
    private static final class Feed extends ChannelInboundHandlerAdapter {
        private final Run run;
        private long left;
        private boolean done;

        Feed(Run run) {
            this.run = run;
            this.left = run.messages();
        }

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
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that closes once it has all it wanted resets us: routine
        }

        private void feed(ChannelHandlerContext ctx) {
            while (left > 0 && ctx.channel().isWritable()) {
                int frames = (int) Math.min(left, run.framesPerBlock());
                ctx.write(run.block().retainedSlice(0, frames * run.frameBytes()), ctx.voidPromise());
                left -= frames;
            }
            ctx.flush();
            if (left == 0 && !done) {
                done = true;
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
