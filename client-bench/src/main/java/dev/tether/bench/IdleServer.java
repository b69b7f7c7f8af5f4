/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The other end of {@link ManyConnections}: a Netty server that accepts on one or more loopback addresses
 * ({@code 127.0.0.1}, {@code 127.0.0.2}, ...; Linux routes all of {@code 127/8} to the loopback interface), keeps
 * every connection open, sends nothing, and counts the open ones. One thread, on epoll where available.
 */
final class IdleServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final Counter counter = new Counter();

    /**
     * Starts listening on {@code addresses} loopback addresses, each on a port of its own.
     *
     * @param addresses 1 to 254: {@code 127.0.0.1} up to {@code 127.0.0.<addresses>}
     */
    IdleServer(int addresses) throws InterruptedException {
        if (addresses < 1 || addresses > 254) {
            throw new IllegalArgumentException("addresses must be in 1..254, was " + addresses);
        }
        boolean epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("bench-idle-server", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(counter);
        try {
            for (int i = 1; i <= addresses; i++) {
                listeners.add(bootstrap.bind("127.0.0." + i, 0).sync().channel());
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Returns the addresses clients connect to, one per loopback address. */
    List<InetSocketAddress> addresses() {
        return listeners.stream()
                .map(channel -> (InetSocketAddress) channel.localAddress())
                .toList();
    }

    /** Returns how many accepted connections are open now. */
    int open() {
        return counter.open();
    }

    /**
     * Waits until exactly {@code count} connections are open.
     *
     * @return whether that happened within {@code timeout}
     */
    boolean awaitOpen(int count, Duration timeout) throws InterruptedException {
        return counter.await(count, timeout);
    }

    @Override
    public void close() {
        listeners.forEach(channel -> channel.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counts the open connections and drops anything a client sends. */
    @ChannelHandler.Sharable
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private int open; // guarded by this: written on the server's thread, read by the runner

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            change(1);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            change(-1);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that resets on close: routine
        }

        private synchronized void change(int by) {
            open += by;
            notifyAll();
        }

        synchronized int open() {
            return open;
        }

        synchronized boolean await(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (open != count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
