/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionClosedException.Reason;
import dev.tether.ConnectionState;
import dev.tether.SendBuffer;
import dev.tether.SendRejectedException;
import dev.tether.WriteBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The send path alone: limits, the outage buffer, the gate and writability, on an embedded loop. */
class OutboxTest {
    private final EmbeddedChannel loop = new EmbeddedChannel(); // runs the outbox's tasks when told
    private final EmbeddedChannel channel = new EmbeddedChannel(); // the link, bare: messages come out as sent
    private ConnectionState state = ConnectionState.RECONNECTING;
    private ConnectionClosedException closeCause;
    private boolean closing;

    private final Outbox.Owner owner = new Outbox.Owner() {
        @Override
        public ConnectionState state() {
            return state;
        }

        @Override
        public boolean isClosing() {
            return closing;
        }

        @Override
        public ConnectionClosedException closeCause() {
            return closeCause;
        }

        @Override
        public String describe() {
            return "connection o#1 to 127.0.0.1:9";
        }
    };

    @AfterEach
    void tearDown() {
        loop.finishAndReleaseAll();
        channel.finishAndReleaseAll();
    }

    private Outbox outbox(SendBuffer sendBuffer, WriteBuffer writeBuffer) {
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddress("127.0.0.1", 9)
                .sendBuffer(sendBuffer)
                .writeBuffer(writeBuffer)
                .build();
        return new Outbox(config, loop.eventLoop(), loop.eventLoop(), owner, new Counters());
    }

    @Test
    void theWriteLimitCountsFrameBytesInTheCallersThreadAndSaysWhichLimit() {
        Outbox outbox = outbox(SendBuffer.disabled(), WriteBuffer.bounded(10, 20, 30));
        outbox.open(channel);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sends.add(outbox.send("123456789")); // 9 bytes and the newline: 10 frame bytes each
        }
        assertFalse(outbox.isWritable(), "30 bytes wait, at or over the high mark of 20");
        CompletableFuture<Void> writable = outbox.whenWritable();

        CompletionException refused = failure(outbox.send("x"));
        assertInstanceOf(SendRejectedException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("is not writable (30 bytes wait"), refused.getMessage());

        loop.runPendingTasks(); // the flush: the writes complete and their bytes are no longer counted
        assertTrue(sends.stream().allMatch(CompletableFuture::isDone));
        assertTrue(writable.isDone(), "woken below the low mark");
        assertTrue(outbox.isWritable());
        assertEquals(3, written().size());
    }

    @Test
    void whileTheGateIsShutSendsBufferUpToTheSendBufferThenGoOutInOrder() {
        Outbox outbox = outbox(SendBuffer.bounded(2, 1024), WriteBuffer.defaults());
        CompletableFuture<Void> a = outbox.send("a");
        CompletableFuture<Void> b = outbox.send("b");
        CompletionException full = failure(outbox.send("c"));
        assertInstanceOf(SendRejectedException.class, full.getCause());
        assertTrue(full.getCause().getMessage().contains("send buffer of connection o#1"), full.getMessage());
        assertTrue(full.getCause().getMessage().endsWith("while it is reconnecting"), full.getMessage());

        outbox.open(channel);
        assertEquals(List.of("a", "b"), written());
        assertTrue(a.isDone() && b.isDone());
    }

    @Test
    void aDisabledSendBufferRefusesSendsWhileDown() {
        Outbox outbox = outbox(SendBuffer.disabled(), WriteBuffer.defaults());
        CompletionException refused = failure(outbox.send("a"));
        assertInstanceOf(ConnectionClosedException.class, refused.getCause());
        assertTrue(
                refused.getCause().getMessage().contains("is reconnecting, and SendBuffer.disabled() rejects sends"),
                refused.getMessage());
    }

    @Test
    void theEndFailsBufferedSendsAndWaitersAndLaterSendsSayWhy() {
        Outbox outbox = outbox(SendBuffer.bounded(10, 1024), WriteBuffer.defaults());
        CompletableFuture<Void> buffered = outbox.send("a");
        CompletableFuture<Void> writable = outbox.whenWritable();
        ConnectionClosedException cause =
                new ConnectionClosedException("connection o#1 to 127.0.0.1:9 gave up", Reason.FAILURE, null);

        state = ConnectionState.CLOSED;
        closeCause = cause;
        outbox.end(cause);

        assertTrue(failure(buffered).getCause().getMessage().startsWith("buffered send not written: "));
        assertTrue(writable.isCompletedExceptionally());
        assertEquals(
                "cannot send: connection o#1 to 127.0.0.1:9 gave up",
                failure(outbox.send("b")).getCause().getMessage());
        assertEquals(List.of(), written());
    }

    /** Once the application asked to close, sends are refused, even on the I/O thread before the close ran. */
    @Test
    void sendsAreRefusedFromTheCloseRequestOn() {
        Outbox outbox = outbox(SendBuffer.disabled(), WriteBuffer.defaults());
        outbox.open(channel);
        state = ConnectionState.CONNECTED;
        closing = true;

        CompletionException refused = failure(outbox.send("late"));

        assertEquals(
                "cannot send: connection o#1 to 127.0.0.1:9 is closing: closed by the application",
                refused.getCause().getMessage());
        assertEquals(Reason.APPLICATION, ((ConnectionClosedException) refused.getCause()).reason());
        assertEquals(List.of(), written());
    }

    private static CompletionException failure(CompletableFuture<Void> send) {
        assertTrue(send.isCompletedExceptionally(), "the send should have failed");
        try {
            send.join();
            throw new AssertionError("unreachable");
        } catch (CompletionException e) {
            return e;
        }
    }

    /** The frames written to the channel so far, as text without the newline, released as they are read. */
    private List<String> written() {
        loop.runPendingTasks();
        List<String> frames = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            if (out instanceof ByteBuf buf) {
                try {
                    frames.add(buf.toString(UTF_8).stripTrailing());
                } finally {
                    buf.release();
                }
            } else {
                frames.add(String.valueOf(out));
            }
        }
        return frames;
    }
}
