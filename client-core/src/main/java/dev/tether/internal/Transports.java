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
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringSocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * Chooses the Netty transport and applies the socket options that differ between transports. Public only for {@link
 * Transport#isAvailable()} and {@link dev.tether.ClientConfig#transport()}.
 */
public final class Transports {
    /**
     * Netty's switch for multishot polls on io_uring, read once, when Netty's io_uring support first loads.
     *
     * <p>With multishot polls, Netty's io_uring transport arms one poll per socket for readability and relies on it
     * to wake up whenever the socket changes. A reset that arrives while a receive is in flight wakes that poll while
     * the channel is waiting for the receive, so the wake-up is dropped; the receive returns the data that came before
     * the reset and reports the socket empty, and nothing wakes the channel again. The reset goes unnoticed until the
     * next write or the idle timeout. A one-shot poll, armed again after each read, sees the reset at once. Measured:
     * a server that sends two lines and resets, 30 times, was missed within 2 s 7 to 10 times by a plain Netty
     * 4.2.18 io_uring client with multishot polls, never without them, never on epoll.
     */
    static final String MULTISHOT_POLL_PROPERTY = "io.netty.iouring.pollAddMultishotEnabled";

    /**
     * Completion-queue entries of each io_uring I/O thread: every connection on the thread posts its completions
     * there, and Netty's default of 4,096 overflowed (a warning each time, and a slower path) when a client closed a
     * few thousand connections at once. 16 bytes each: 256 KiB per thread.
     */
    static final int IO_URING_CQ_SIZE = 16_384;

    private Transports() {}

    /**
     * Implements {@link Transport#isAvailable()}.
     *
     * @param transport the transport asked about
     * @return whether a client can run on it here
     */
    public static boolean isAvailable(Transport transport) {
        return switch (transport) {
            case AUTO, NIO -> true;
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable() && !losesResets();
        };
    }

    /** Resolves {@link Transport#AUTO} and checks that an explicit choice is available. */
    static Transport resolve(Transport requested) {
        return switch (requested) {
            case AUTO -> choose(Epoll.isAvailable());
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
                if (losesResets()) {
                    throw new IllegalStateException("transport IO_URING is declined: Netty runs io_uring with"
                            + " multishot polls in this JVM, with which a reset that arrives right behind data can go"
                            + " unnoticed until the idle timeout; start the JVM with -D" + MULTISHOT_POLL_PROPERTY
                            + "=false to use io_uring, or use Transport.EPOLL");
                }
                yield Transport.IO_URING;
            }
        };
    }

    /**
     * What {@link Transport#AUTO} becomes: epoll where it is available, else NIO. Not io_uring, on the evidence of
     * the benchmark (docs/throughput.md, "Which transport AUTO picks"): it streamed no faster than epoll here, and
     * slower with 4 KiB frames; it sees resets reliably only with Netty's multishot polls off, a JVM-wide setting;
     * and its completion queue overflowed when a client closed thousands of connections at once.
     */
    static Transport choose(boolean epollAvailable) {
        return epollAvailable ? Transport.EPOLL : Transport.NIO;
    }

    /**
     * Whether Netty's io_uring transport runs with multishot polls in this JVM, and so may miss a reset (see {@link
     * #MULTISHOT_POLL_PROPERTY}): Netty's default, unless the JVM started with the property set to {@code false}.
     * Tether never sets it: a system property changes Netty for every library in the process.
     */
    static boolean losesResets() {
        return IoUring.isPollAddMultishotEnabled();
    }

    /**
     * Returns the transport of a caller's group: epoll or io_uring by its I/O handler, else NIO.
     *
     * @param group the group
     * @return its transport, never {@link Transport#AUTO}
     */
    public static Transport of(EventLoopGroup group) {
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
            case IO_URING -> IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setCqSize(IO_URING_CQ_SIZE));
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
