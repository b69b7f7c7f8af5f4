/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.FrameTooLongException;
import dev.tether.IdleTimeoutException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes the connection when a frame has started arriving but is not complete within the frame timeout: a server
 * that drips one byte at a time keeps a read timeout happy without ever delivering. Sits right after the framer
 * and watches whether it holds a partial frame at the end of each read.
 */
final class FrameProgressHandler extends ChannelInboundHandlerAdapter {
    private final FrameDecoder framer;
    private final long timeoutNanos;
    private final String peer;
    private ScheduledFuture<?> deadline;
    private boolean framesSinceCheck;

    /** Creates the handler for one channel, watching {@code framer}. */
    FrameProgressHandler(FrameDecoder framer, long timeoutNanos, String peer) {
        this.framer = framer;
        this.timeoutNanos = timeoutNanos;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        framesSinceCheck = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameTooLongException) {
            framesSinceCheck = true; // a dropped frame ended too: what follows it is a new frame
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        boolean partial = framer.hasPartialFrame();
        if (!partial || framesSinceCheck) {
            // no frame pending, or the pending one began in this read: its clock starts now
            cancel();
        }
        if (partial && deadline == null) {
            deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        framesSinceCheck = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (framer.hasPartialFrame() && !ctx.channel().config().isAutoRead()) {
            // the client paused reading (a full inbox), so the frame cannot progress: give it another period
            deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
            return;
        }
        if (framer.hasPartialFrame()) {
            ctx.fireExceptionCaught(new ChannelFatalException(new IdleTimeoutException("a frame from " + peer
                    + " started but did not complete within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms (frameTimeout)")));
        }
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
