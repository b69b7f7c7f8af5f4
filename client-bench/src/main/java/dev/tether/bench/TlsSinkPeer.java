/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The limit over TLS, as {@link RawSinkPeer} is over TCP: the hand-written Netty client's connection, its
 * {@code SslHandler} included, with a handler that counts the decrypted bytes and nothing else: no framing, no
 * decoding. What it reaches is what the server's encryption and the client's decryption leave for everything else.
 */
final class TlsSinkPeer implements Peer {
    private final Transport transport;
    private final EventLoopGroup group; // null: each run creates its own
    private final BenchTls.Client tls;

    TlsSinkPeer(Transport transport, boolean newcomer, BenchTls.Client tls) {
        this.transport = transport;
        this.tls = tls;
        this.group = newcomer ? null : NettyPeer.group(1, "bench-tls-sink", transport);
    }

    @Override
    public String name() {
        return "tls-sink";
    }

    @Override
    public String transport() {
        return transport.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String tls() {
        return tls.label();
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        EventLoopGroup runGroup = group != null ? group : NettyPeer.group(1, "bench-tls-sink", transport);
        try {
            return receive(runGroup, workload, messages, port);
        } finally {
            if (group == null) {
                runGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private long receive(EventLoopGroup loop, Workload workload, long messages, int port) throws Exception {
        long[] bytes = new long[1];
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        Bootstrap bootstrap = NettyPeer.bootstrap(loop, transport).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline()
                        .addLast(BenchTls.handler(tls.netty(), channel.alloc(), port))
                        .addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                bytes[0] += ((ByteBuf) msg).readableBytes();
                                ReferenceCountUtil.release(msg);
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
        long frames = bytes[0] / workload.frameBytes();
        long whole = bytes[0] % workload.frameBytes() == 0 ? frames : -1;
        Peer.verify(name(), workload, messages, whole, whole * workload.size());
        return took;
    }

    @Override
    public void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
