/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The ping-pong client a Netty user writes by hand: {@code LineBasedFrameDecoder}, {@code StringDecoder} and {@code
 * LineEncoder} in UTF-8, {@code TCP_NODELAY}, one I/O thread of its own, and a handler that checks each echo and
 * sends the next ping from {@code channelRead}.
 */
final class NettyPingPeer implements PingPeer {
    private final Transport transport;

    /** A client on {@code transport}: NIO, EPOLL or IO_URING, the one Tether's AUTO picks for a fair comparison. */
    NettyPingPeer(Transport transport) {
        this.transport = transport;
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
    public long[] pingPong(int port, int warmup, int roundTrips) throws Exception {
        RoundTrips.Relay relay = new RoundTrips.Relay(name(), warmup, roundTrips);
        EventLoopGroup group = NettyPeer.group(1, "bench-netty-ping", transport);
        try {
            NettyPeer.bootstrap(group, transport)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline()
                                    .addLast(new LineBasedFrameDecoder(EchoServer.MAX_LINE))
                                    .addLast(new StringDecoder(StandardCharsets.UTF_8))
                                    .addLast(new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8))
                                    .addLast(new Pinger(relay));
                        }
                    })
                    .connect("127.0.0.1", port)
                    .sync();
            return relay.done().get(5, TimeUnit.MINUTES);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Sends the first ping once connected, and each next one as the echo of the last arrives. */
    private static final class Pinger extends SimpleChannelInboundHandler<String> {
        private final RoundTrips.Relay relay;

        Pinger(RoundTrips.Relay relay) {
            this.relay = relay;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(relay.first(), ctx.voidPromise());
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String echo) {
            String next = relay.next(echo);
            if (next == null) {
                ctx.close();
            } else {
                ctx.writeAndFlush(next, ctx.voidPromise());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            relay.fail(
                    new IllegalStateException("netty: connection closed after " + relay.completed() + " round trips"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            relay.fail(cause);
            ctx.close();
        }
    }
}
