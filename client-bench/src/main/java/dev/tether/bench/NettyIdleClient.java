/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The hand-written Netty client with many connections: one {@code Bootstrap} on one group with the same threads and
 * transport as Tether's, a line decoder of 64 KiB, a shared {@code StringDecoder} and a handler per channel, and a
 * {@code ChannelGroup} to close them all. Connections rotate over the targets.
 */
final class NettyIdleClient implements IdleClient {
    private final Transport transport;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<InetSocketAddress> targets;

    NettyIdleClient(String name, Transport requested, int ioThreads, List<InetSocketAddress> targets) {
        this.transport = resolve(requested);
        this.targets = List.copyOf(targets);
        this.group = NettyPeer.group(ioThreads, name + "-io", transport);
        StringDecoder text = new StringDecoder(StandardCharsets.UTF_8);
        this.bootstrap = NettyPeer.bootstrap(group, transport).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline()
                        .addLast(new LineBasedFrameDecoder(64 * 1024))
                        .addLast(text)
                        .addLast(new SimpleChannelInboundHandler<String>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                // idle: nothing arrives
                            }
                        });
            }
        });
    }

    /** What Tether's {@code AUTO} picks, asked of Tether itself, so both clients run on the same transport. */
    static Transport resolve(Transport requested) {
        if (!requested.isAvailable()) {
            throw new IllegalStateException("transport " + requested + " is not available here");
        }
        return requested == Transport.AUTO ? TetherPingPeer.autoTransport(1) : requested;
    }

    @Override
    public String transport() {
        return transport.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public CompletableFuture<Object> connect(int index) {
        CompletableFuture<Object> connected = new CompletableFuture<>();
        bootstrap.connect(targets.get(index % targets.size())).addListener((ChannelFutureListener) future -> {
            if (future.isSuccess()) {
                channels.add(future.channel());
                connected.complete(future.channel());
            } else {
                connected.completeExceptionally(future.cause());
            }
        });
        return connected;
    }

    @Override
    public void closeAll() throws Exception {
        channels.close().await(5, TimeUnit.MINUTES);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(5, TimeUnit.MINUTES);
    }
}
