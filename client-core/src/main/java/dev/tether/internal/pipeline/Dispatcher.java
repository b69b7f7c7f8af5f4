/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.ClientException;
import dev.tether.FrameTooLongException;
import dev.tether.MalformedFrameException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every pipeline: hands messages to the connection and sorts errors into "drop the frame" and
 * "close the channel", so no exception reaches Netty's tail unhandled. The sink gets each error as it was raised
 * (an {@code IOException}, an {@code IdleTimeoutException}, another {@code ClientException}), never our wrapper or
 * Netty's {@code DecoderException}, so it can tell them apart by type.
 */
final class Dispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final PipelineSink sink;
    private final String connectionId;

    /** Creates the dispatcher for one channel. */
    Dispatcher(PipelineSink sink, String connectionId) {
        this.sink = sink;
        this.connectionId = connectionId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        sink.onMessage(msg);
    }

    /**
     * The server ended its TLS session with a {@code close_notify}. Over TLS 1.3 the JDK's engine allows a half-close
     * and Netty leaves the TCP connection open, but nothing more can arrive: close it, as when a plain server closes.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable error = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (error instanceof FrameTooLongException || error instanceof MalformedFrameException) {
            sink.onFrameDropped((ClientException) error);
        } else if (error instanceof ChannelFatalException fatal) {
            sink.onFatal(fatal.error());
        } else if (error instanceof IOException || error instanceof Error || cause instanceof DecoderException) {
            // a decoder that threw may have lost its place in the stream: nothing after it can be trusted
            sink.onFatal(error);
        } else {
            // most likely a user handler that threw: the connection itself is fine
            log.warn("connection {}: a pipeline handler threw; carrying on", connectionId, error);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        sink.onReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sink.onInactive();
    }
}
