/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greets each client with one line, reads one line back, logs it and hangs up: the server side of the {@code hello}
 * example.
 */
public final class GreetingServer extends DemoServer {
    /** The line sent to every client, without its LF. */
    public static final String GREETING = "Hello from the Tether demo server!";

    private static final Logger log = LoggerFactory.getLogger(GreetingServer.class);
    private static final int MAX_LINE_BYTES = 1024;

    private final List<String> received = new CopyOnWriteArrayList<>();

    /** Creates the server; {@link #start(int)} opens it. */
    public GreetingServer() {
        super("greeting");
    }

    /**
     * Returns the line each client answered with, in the order they arrived.
     *
     * @return a snapshot of the answers
     */
    public List<String> received() {
        return List.copyOf(received);
    }

    @Override
    protected void initClient(SocketChannel channel) {
        channel.pipeline()
                .addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES))
                .addLast(new StringDecoder(StandardCharsets.UTF_8))
                .addLast(new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8))
                .addLast(new GreetingHandler());
    }

    /** Talks to one client. */
    private final class GreetingHandler extends SimpleChannelInboundHandler<String> {
        private boolean answered;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(GREETING);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (answered) {
                return; // more lines may have arrived in the same read; one answer is all we wait for
            }
            answered = true;
            received.add(line);
            log.info("greeting server received: {}", line);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            dropClient(ctx, cause);
        }
    }
}
