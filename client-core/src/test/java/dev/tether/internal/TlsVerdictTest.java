/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The wait for a TLS 1.3 server's verdict on the client's certificate, on an embedded channel with frozen time; a
 * stand-in for the TLS handler turns "records" into what the real one would: nothing (a ticket), data, or an error.
 */
class TlsVerdictTest {
    private static final Duration WAIT = Duration.ofSeconds(1);

    /** Stands where the TLS handler does: "ticket" decodes to nothing, "alert" fails, anything else is data. */
    private static final class FakeTls extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object record) {
            if (record.equals("alert")) {
                ctx.fireExceptionCaught(new SSLHandshakeException("Received fatal alert: certificate_required"));
            } else if (!record.equals("ticket")) {
                ctx.fireChannelRead(record);
            }
        }
    }

    /** Records what reaches the end of the pipeline, and whether the verdict was in by then. */
    private static final class Tail extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();
        CompletableFuture<Void> verdict;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            seen.add(message + (verdict.isDone() ? " after the verdict" : " before the verdict"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            seen.add("error");
        }
    }

    private final Tail tail = new Tail();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    private CompletableFuture<Void> watch() {
        channel.freezeTime();
        channel.pipeline().addLast("tls", new FakeTls()).addLast(tail);
        tail.verdict = TlsVerdict.await(channel, "tls", WAIT);
        return tail.verdict;
    }

    @Test
    void aTicketAccepts() {
        CompletableFuture<Void> verdict = watch();
        channel.writeInbound("ticket");
        assertTrue(verdict.isDone() && !verdict.isCompletedExceptionally());
        assertEquals(List.of("tls", "TlsVerdictTest$Tail#0", "DefaultChannelPipeline$TailContext#0"), names());
    }

    @Test
    void dataAcceptsBeforeItReachesTheConnection() {
        CompletableFuture<Void> verdict = watch();
        channel.writeInbound("welcome");
        assertFalse(verdict.isCompletedExceptionally());
        assertEquals(List.of("welcome after the verdict"), tail.seen);
    }

    @Test
    void anAlertRefusesWithIt() {
        CompletableFuture<Void> verdict = watch();
        channel.writeInbound("alert");
        ExecutionException e = assertThrows(ExecutionException.class, verdict::get);
        assertInstanceOf(SSLHandshakeException.class, e.getCause());
        assertEquals(List.of("error"), tail.seen); // the connection's own handler still hears of it
    }

    @Test
    void aCloseRefuses() throws Exception {
        CompletableFuture<Void> verdict = watch();
        channel.close();
        ExecutionException e = assertThrows(ExecutionException.class, verdict::get);
        assertInstanceOf(ClosedChannelException.class, e.getCause());
    }

    @Test
    void silenceAcceptsAfterTheWait() throws Exception {
        CompletableFuture<Void> verdict = watch();
        channel.advanceTimeBy(WAIT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(verdict.isDone());
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertNull(verdict.get());
        assertSame(null, channel.pipeline().get("tls-verdict-records"));
        assertSame(null, channel.pipeline().get("tls-verdict-decoded"));
    }

    private List<String> names() {
        return channel.pipeline().names();
    }
}
