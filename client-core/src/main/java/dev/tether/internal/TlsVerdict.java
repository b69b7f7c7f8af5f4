/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Over TLS 1.3 the client's side of the handshake ends before the server has judged the client's certificate: a server
 * that refuses it says so in its next flight, with an alert. When the server asked for a certificate, the connect
 * waits for that flight before it succeeds, so that a refusal fails the connect (with its reason) instead of losing
 * a connection that seemed made. The server's next flight is usually its session tickets, at once; whatever comes
 * first decides: a record that decodes (accepted), an error or a close (refused), or {@code wait} without a word
 * (accepted: a server that sends no tickets and waits for the client to speak).
 *
 * <p>Two handlers watch, one on each side of the TLS handler, and remove themselves once the verdict is in. Threads:
 * the channel's event loop.
 */
final class TlsVerdict {
    private static final String RECORDS = "tls-verdict-records";
    private static final String DECODED = "tls-verdict-decoded";

    private final Channel channel;
    private final CompletableFuture<Void> verdict = new CompletableFuture<>();

    private TlsVerdict(Channel channel) {
        this.channel = channel;
    }

    /**
     * Watches {@code channel}, whose TLS handler is named {@code tlsName}, for the server's verdict. The returned
     * future completes on the event loop: normally if the server accepted, exceptionally with the error it sent (or
     * a {@link ClosedChannelException}) if not.
     */
    static CompletableFuture<Void> await(Channel channel, String tlsName, Duration wait) {
        TlsVerdict watch = new TlsVerdict(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addBefore(tlsName, RECORDS, watch.new Records());
        pipeline.addAfter(tlsName, DECODED, watch.new Decoded());
        ScheduledFuture<?> silence =
                channel.eventLoop().schedule(() -> watch.decide(null), wait.toNanos(), TimeUnit.NANOSECONDS);
        watch.verdict.whenComplete((ok, error) -> {
            silence.cancel(false);
            if (pipeline.get(RECORDS) != null) {
                pipeline.remove(RECORDS);
            }
            if (pipeline.get(DECODED) != null) {
                pipeline.remove(DECODED);
            }
        });
        if (!channel.isActive()) {
            watch.decide(new ClosedChannelException());
        }
        return watch.verdict;
    }

    private void decide(Throwable refusal) {
        if (refusal == null) {
            verdict.complete(null);
        } else {
            verdict.completeExceptionally(refusal);
        }
    }

    /** In front of the TLS handler: sees the server's records arrive, and the connection close. */
    private final class Records extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ctx.fireChannelRead(message); // the TLS handler decodes it now: an alert fails it, a ticket passes
            if (channel.isActive()) {
                decide(null);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            decide(new ClosedChannelException()); // no effect if the error came first
            ctx.fireChannelInactive();
        }
    }

    /** Behind the TLS handler: the first application data accepts, before it reaches the connection; errors refuse. */
    private final class Decoded extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            decide(null); // the connect completes first, so the connection is ready for what follows
            ctx.fireChannelRead(message);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            decide(cause);
            ctx.fireExceptionCaught(cause);
        }
    }
}
