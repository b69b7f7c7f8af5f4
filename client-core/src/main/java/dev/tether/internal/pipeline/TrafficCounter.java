/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts the bytes each socket read brings, before any framing: the first handler of the pipeline, behind TLS and
 * the proxy's handlers when there are any. Passes everything on untouched, once per read, not per message.
 */
final class TrafficCounter extends ChannelInboundHandlerAdapter {
    private final PipelineSink sink;

    TrafficCounter(PipelineSink sink) {
        this.sink = sink;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            sink.onBytesRead(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }
}
