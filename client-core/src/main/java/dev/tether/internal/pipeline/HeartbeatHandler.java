/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.IdleTimeoutException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Acts on the idle events of the {@code idle} handler: sends a heartbeat when writing was quiet, and declares the
 * connection dead with an {@link IdleTimeoutException} when reading was, unless the client itself had stopped reading
 * (a full inbox pauses the socket): a slow receiver must not make a healthy server look dead.
 */
final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
    private final Duration readTimeout;
    private final Supplier<?> heartbeat; // null: no heartbeat
    private final String peer;

    /** Creates the handler for one channel. */
    HeartbeatHandler(Duration readTimeout, Supplier<?> heartbeat, String peer) {
        this.readTimeout = readTimeout;
        this.heartbeat = heartbeat;
        this.peer = peer;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent idle)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (idle.state() == IdleState.READER_IDLE) {
            if (!ctx.channel().config().isAutoRead()) {
                return; // the client paused reading (a full inbox): the silence is ours, not the server's
            }
            ctx.fireExceptionCaught(new ChannelFatalException(new IdleTimeoutException(
                    "no data from " + peer + " for " + readTimeout.toMillis() + " ms (readTimeout)")));
        } else if (idle.state() == IdleState.WRITER_IDLE && heartbeat != null) {
            // written from here, so it is encoded by the codec but passes no user handler; if it fails, the
            // channel is already closing for a reason of its own, which must stay the reported cause
            ctx.writeAndFlush(heartbeat.get());
        }
    }
}
