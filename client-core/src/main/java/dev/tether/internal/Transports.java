/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.KeepAlive;
import dev.tether.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import jdk.net.ExtendedSocketOptions;

/** Chooses the Netty transport and applies the socket options that differ between transports. */
final class Transports {
    private Transports() {}

    /** Resolves {@link Transport#AUTO} and checks that an explicit choice is available. */
    static Transport resolve(Transport requested) {
        return switch (requested) {
            // io_uring is not chosen: on it, a peer's reset went unnoticed for seconds in our tests
            // (docs/throughput.md)
            case AUTO -> Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
            case NIO -> Transport.NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException(
                            "transport EPOLL is not available here: " + Epoll.unavailabilityCause());
                }
                yield Transport.EPOLL;
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException(
                            "transport IO_URING is not available here: " + IoUring.unavailabilityCause());
                }
                yield Transport.IO_URING;
            }
        };
    }

    /** Returns the transport of a caller's group. */
    static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(EpollIoHandler.class)) {
                return Transport.EPOLL;
            }
            if (io.isIoType(IoUringIoHandler.class)) {
                return Transport.IO_URING;
            }
        }
        return Transport.NIO;
    }

    static IoHandlerFactory ioHandlerFactory(Transport transport) {
        return switch (transport) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    /** Sets the channel class and keepalive options for {@code transport} on {@code bootstrap}. */
    static void configure(Bootstrap bootstrap, Transport transport, KeepAlive keepAlive) {
        bootstrap.channel(
                switch (transport) {
                    case EPOLL -> EpollSocketChannel.class;
                    case IO_URING -> IoUringSocketChannel.class;
                    default -> NioSocketChannel.class;
                });
        // reads of up to 256 KiB when the stream keeps the socket full, down to 512 bytes when it trickles
        bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024));
        if (!keepAlive.isEnabled()) {
            return;
        }
        int idle = (int) keepAlive.idle().toSeconds();
        int interval = (int) keepAlive.interval().toSeconds();
        bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
        if (transport == Transport.EPOLL) {
            bootstrap
                    .option(EpollChannelOption.TCP_KEEPIDLE, idle)
                    .option(EpollChannelOption.TCP_KEEPINTVL, interval)
                    .option(EpollChannelOption.TCP_KEEPCNT, keepAlive.probes())
                    // unacknowledged data fails the connection after the same time a silent one would
                    .option(EpollChannelOption.TCP_USER_TIMEOUT, (int)
                            keepAlive.deadAfter().toMillis());
        } else if (transport == Transport.IO_URING) {
            bootstrap
                    .option(IoUringChannelOption.TCP_KEEPIDLE, idle)
                    .option(IoUringChannelOption.TCP_KEEPINTVL, interval)
                    .option(IoUringChannelOption.TCP_KEEPCNT, keepAlive.probes())
                    .option(IoUringChannelOption.TCP_USER_TIMEOUT, (int)
                            keepAlive.deadAfter().toMillis());
        } else {
            bootstrap
                    .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle)
                    .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval)
                    .option(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), keepAlive.probes());
        }
    }
}
