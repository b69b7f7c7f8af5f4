/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client a Netty user writes by hand: a frame decoder, {@code StringDecoder}, and a handler; one I/O thread,
 * shared by every run in-process, or created for each run as a newcomer's program does.
 *
 * <p>Over TLS, an {@code SslHandler} comes first in its pipeline, from a context built as Tether builds its own (same
 * provider, same trust, the server's name checked; see {@link BenchTls#handler}).
 */
final class NettyPeer implements Peer {
    private final Transport transport;
    private final EventLoopGroup group; // null: each run creates its own
    private final BenchTls.Client tls; // null: plain TCP

    NettyPeer(Transport transport) {
        this(transport, false);
    }

    NettyPeer(Transport transport, boolean newcomer) {
        this(transport, newcomer, null);
    }

    /** The client over TLS with {@code tls}, or over plain TCP if it is null. */
    NettyPeer(Transport transport, boolean newcomer, BenchTls.Client tls) {
        this.transport = transport;
        this.tls = tls;
        this.group = newcomer ? null : group(1, "bench-netty", transport);
    }

    /** A group of {@code threads} daemon I/O threads named after {@code name}, on {@code transport}. */
    static EventLoopGroup group(int threads, String name, Transport transport) {
        return new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory(name, true), ioHandlerFactory(transport));
    }

    /**
     * A client bootstrap as each hand-written Netty peer starts one: {@code transport}'s socket channel on
     * {@code group}, with {@code TCP_NODELAY}; the caller adds its own handler.
     */
    static Bootstrap bootstrap(EventLoopGroup group, Transport transport) {
        return new Bootstrap().group(group).channel(channelClass(transport)).option(ChannelOption.TCP_NODELAY, true);
    }

    /** The I/O handler of a Netty-based peer's one thread on {@code transport}: NIO, EPOLL or IO_URING. */
    static IoHandlerFactory ioHandlerFactory(Transport transport) {
        return switch (transport) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    private static Class<? extends SocketChannel> channelClass(Transport transport) {
        return switch (transport) {
            case EPOLL -> EpollSocketChannel.class;
            case IO_URING -> IoUringSocketChannel.class;
            default -> NioSocketChannel.class;
        };
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public String transport() {
        return transport.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String tls() {
        return tls == null ? "" : tls.label();
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        EventLoopGroup runGroup = group != null ? group : group(1, "bench-netty", transport);
        try {
            return receive(runGroup, workload, messages, port);
        } finally {
            if (group == null) {
                runGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private long receive(EventLoopGroup loop, Workload workload, long messages, int port) throws Exception {
        long[] counted = new long[2];
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        Bootstrap bootstrap = bootstrap(loop, transport).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (tls != null) { // first, so that every other handler sees plain text
                    channel.pipeline().addLast(BenchTls.handler(tls.netty(), channel.alloc(), port));
                }
                channel.pipeline()
                        .addLast(
                                workload.format() == Workload.Format.LINES
                                        ? new LineBasedFrameDecoder(Workload.MAX_FRAME)
                                        : new LengthFieldBasedFrameDecoder(Workload.MAX_FRAME, 0, 4, 0, 4))
                        .addLast(new StringDecoder(StandardCharsets.UTF_8))
                        .addLast(new SimpleChannelInboundHandler<String>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, String message) {
                                counted[0]++;
                                counted[1] += message.length();
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                serverClosed.complete(null);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                serverClosed.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
            }
        });
        long start = System.nanoTime();
        Channel channel = bootstrap.connect(BenchTls.HOST, port).sync().channel();
        try {
            serverClosed.get(5, TimeUnit.MINUTES);
        } finally {
            channel.close(); // already closed, unless the runner's deadline interrupted the wait
        }
        long took = System.nanoTime() - start;
        Peer.verify(name(), workload, messages, counted[0], counted[1]);
        return took;
    }

    @Override
    public void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
