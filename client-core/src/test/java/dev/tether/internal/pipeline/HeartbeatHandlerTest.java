/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static dev.tether.internal.pipeline.Frames.bytes;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.IdleTimeoutException;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Drives the production order {@code idle → framer → codec → heartbeat} on frozen time. */
class HeartbeatHandlerTest {
    private static final String PEER = "127.0.0.1:9";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final byte[] PING_LINE = "PING\n".getBytes(US_ASCII);

    private final Frames.ErrorRecorder errors = new Frames.ErrorRecorder();

    /** Freezes time before the idle handler starts, so its clocks begin at a known instant. */
    private static EmbeddedChannel frozen(ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(handlers);
        return channel;
    }

    private EmbeddedChannel textChannel(Duration heartbeatInterval, Supplier<?> heartbeat, ChannelHandler... tail) {
        EmbeddedChannel channel = frozen(
                new IdleStateHandler(READ_TIMEOUT.toNanos(), heartbeatInterval.toNanos(), 0, TimeUnit.NANOSECONDS),
                DelimiterFrameDecoder.lines(1024),
                new CodecHandler(Framing.lines(1024), Codec.utf8()),
                new HeartbeatHandler(READ_TIMEOUT, heartbeat, PEER));
        channel.pipeline().addLast(tail);
        channel.pipeline().addLast(errors);
        return channel;
    }

    private static void advance(EmbeddedChannel channel, long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }

    /** Reads one outbound buffer as bytes and releases it; fails if there is none. */
    private static byte[] written(EmbeddedChannel channel) {
        ByteBuf out = channel.readOutbound();
        assertTrue(out != null, "expected an outbound write");
        try {
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Reads and releases every outbound buffer, returning how many there were. */
    private static int drainOutbound(EmbeddedChannel channel) {
        int n = 0;
        for (ByteBuf out; (out = channel.readOutbound()) != null; n++) {
            out.release();
        }
        return n;
    }

    private IdleTimeoutException onlyIdleTimeout() {
        assertEquals(1, errors.errors.size(), () -> "errors: " + errors.errors);
        ChannelFatalException fatal = assertInstanceOf(ChannelFatalException.class, errors.errors.get(0));
        return assertInstanceOf(IdleTimeoutException.class, fatal.error());
    }

    @Test
    void sendsOnePingPerQuietInterval() {
        EmbeddedChannel ch = textChannel(INTERVAL, () -> "PING");
        advance(ch, INTERVAL.toMillis() - 1);
        assertNull(ch.readOutbound());

        advance(ch, 1);
        assertArrayEquals(PING_LINE, written(ch));
        assertNull(ch.readOutbound(), "exactly one ping per interval");

        advance(ch, INTERVAL.toMillis() - 1);
        assertNull(ch.readOutbound());
        advance(ch, 1);
        assertArrayEquals(PING_LINE, written(ch));
        assertNull(ch.readOutbound());

        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aUserWriteResetsTheWriterIdleClock() {
        EmbeddedChannel ch = textChannel(INTERVAL, () -> "PING");
        advance(ch, INTERVAL.toMillis() - 1);
        assertNull(ch.readOutbound());

        assertTrue(ch.writeOutbound("hello"));
        assertArrayEquals("hello\n".getBytes(US_ASCII), written(ch));

        advance(ch, INTERVAL.toMillis() - 1);
        assertNull(ch.readOutbound(), "the user write should have pushed the ping back");

        advance(ch, 1);
        assertArrayEquals(PING_LINE, written(ch));
        assertNull(ch.readOutbound());
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void noInboundByteForTheReadTimeoutIsFatal() {
        EmbeddedChannel ch = textChannel(INTERVAL, () -> "PING");
        for (int second = 1; second < READ_TIMEOUT.toSeconds(); second++) {
            advance(ch, 1_000);
        }
        advance(ch, 999);
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);

        advance(ch, 1);
        IdleTimeoutException e = onlyIdleTimeout();
        assertEquals("no data from 127.0.0.1:9 for 30000 ms (readTimeout)", e.getMessage());

        // pings went out at 10 s, 20 s and 30 s: writing does not keep the read side alive
        assertEquals(3, drainOutbound(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    /** A full inbox pauses reading; the read timeout must not then blame the server for the client's own pause. */
    @Test
    void theReadTimeoutWaitsWhileTheClientPausesReading() {
        EmbeddedChannel ch = textChannel(INTERVAL, () -> "PING");
        ch.config().setAutoRead(false);
        for (int second = 0; second < 3 * READ_TIMEOUT.toSeconds(); second++) {
            advance(ch, 1_000);
        }
        assertTrue(errors.errors.isEmpty(), () -> "errors while paused: " + errors.errors);

        ch.config().setAutoRead(true);
        for (int second = 0; second < READ_TIMEOUT.toSeconds(); second++) {
            advance(ch, 1_000);
        }
        assertEquals(
                "no data from 127.0.0.1:9 for 30000 ms (readTimeout)",
                onlyIdleTimeout().getMessage());
        drainOutbound(ch);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void inboundDataPushesTheReadTimeoutBack() {
        EmbeddedChannel ch = textChannel(INTERVAL, () -> "PING");
        advance(ch, 20_000);
        assertTrue(ch.writeInbound(bytes("hello\n")));
        assertEquals("hello", ch.readInbound());

        advance(ch, 10_000); // the original deadline
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);
        advance(ch, 19_999);
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);

        advance(ch, 1); // 30 s after the last byte
        IdleTimeoutException e = onlyIdleTimeout();
        assertEquals("no data from 127.0.0.1:9 for 30000 ms (readTimeout)", e.getMessage());

        drainOutbound(ch);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void bytesHeartbeatIsWrittenRawWithTheDelimiter() {
        byte[] delimiter = {0x00, (byte) 0xFF};
        EmbeddedChannel ch = frozen(
                new IdleStateHandler(READ_TIMEOUT.toNanos(), INTERVAL.toNanos(), 0, TimeUnit.NANOSECONDS),
                DelimiterFrameDecoder.delimiter(delimiter, 64),
                new CodecHandler(Framing.delimiter(delimiter, 64), Codec.bytes()),
                new HeartbeatHandler(READ_TIMEOUT, () -> new byte[] {(byte) 0xCA, (byte) 0xFE, 0x0A}, PEER),
                errors);

        advance(ch, INTERVAL.toMillis());
        assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE, 0x0A, 0x00, (byte) 0xFF}, written(ch));
        assertNull(ch.readOutbound());
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void withoutHeartbeatOnlyTheReadTimeoutActs() {
        RecordingEvents events = new RecordingEvents();
        // the idle handler still reports writer idleness; the heartbeat handler must ignore it
        EmbeddedChannel ch = textChannel(INTERVAL, null, events);

        advance(ch, READ_TIMEOUT.toMillis() - 1);
        assertNull(ch.readOutbound(), "no heartbeat configured, nothing may be written");
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);

        advance(ch, 1);
        assertEquals(
                "no data from 127.0.0.1:9 for 30000 ms (readTimeout)",
                onlyIdleTimeout().getMessage());
        assertNull(ch.readOutbound());
        assertEquals(List.of(), events.events, "idle events are consumed, not passed on");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void otherUserEventsPassThrough() {
        RecordingEvents events = new RecordingEvents();
        EmbeddedChannel ch = textChannel(INTERVAL, () -> "PING", events);
        Object custom = new Object();

        ch.pipeline().fireUserEventTriggered(custom);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);

        assertEquals(List.of(custom), events.events);
        assertArrayEquals(PING_LINE, written(ch)); // the forced writer-idle event did send a ping
        assertNull(ch.readOutbound());
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void otherUserEventsPassThroughWithoutHeartbeat() {
        RecordingEvents events = new RecordingEvents();
        EmbeddedChannel ch = textChannel(INTERVAL, null, events);
        Object custom = new Object();

        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        ch.pipeline().fireUserEventTriggered(custom);

        assertEquals(List.of(custom), events.events);
        assertNull(ch.readOutbound());
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);
        assertFalse(ch.finishAndReleaseAll());
    }

    /** Records the user events that reach it, and stops them there. */
    private static final class RecordingEvents extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }
}
