/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relays each line a client sends to every other client, prefixed with the sender's name: the server side of the
 * {@code chat} example.
 *
 * <p>The protocol is UTF-8 lines:
 *
 * <ul>
 *   <li>A client names itself with a first line {@code NAME <name>}. The server answers
 *       {@code * welcome <name>, <n> online} and tells the others {@code * <name> joined}. A client whose first line
 *       is not {@code NAME} joins as {@code guest-<k>}, and that line is relayed.
 *   <li>Every other line {@code text} reaches the others as {@code <name>: text}; the sender gets no copy.
 *   <li>When a client disconnects, the others get {@code * <name> left}.
 * </ul>
 */
public final class ChatServer extends DemoServer {
    /** The command a client's first line starts with to choose its name. */
    public static final String NAME_COMMAND = "NAME ";

    private static final int MAX_LINE_BYTES = 8 * 1024;

    /** The clients that have joined; closed channels leave it by themselves. */
    private final ChannelGroup room = new DefaultChannelGroup("chat-room", GlobalEventExecutor.INSTANCE);

    private final AtomicInteger guests = new AtomicInteger();

    /** Creates the server; {@link #start(int)} opens it. */
    public ChatServer() {
        super("chat");
    }

    @Override
    protected void initClient(SocketChannel channel) {
        channel.pipeline()
                .addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES))
                .addLast(new StringDecoder(StandardCharsets.UTF_8))
                .addLast(new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8))
                .addLast(new ChatHandler());
    }

    /** Talks to one client; every client's handler runs on the server's one I/O thread. */
    private final class ChatHandler extends SimpleChannelInboundHandler<String> {
        private String name; // null until the client has joined

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (name == null) {
                String requested = line.startsWith(NAME_COMMAND)
                        ? line.substring(NAME_COMMAND.length()).strip()
                        : "";
                if (!requested.isEmpty()) {
                    join(ctx, requested);
                    return;
                }
                join(ctx, "guest-" + guests.incrementAndGet());
            }
            room.writeAndFlush(name + ": " + line, ChannelMatchers.isNot(ctx.channel()));
        }

        private void join(ChannelHandlerContext ctx, String chosen) {
            name = chosen;
            room.writeAndFlush("* " + name + " joined"); // sent before adding the newcomer: to the others only
            room.add(ctx.channel());
            ctx.writeAndFlush("* welcome " + name + ", " + room.size() + " online");
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (name != null) {
                room.writeAndFlush("* " + name + " left", ChannelMatchers.isNot(ctx.channel()));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            dropClient(ctx, cause);
        }
    }
}
