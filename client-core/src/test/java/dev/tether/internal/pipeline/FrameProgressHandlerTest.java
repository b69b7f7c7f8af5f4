/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static dev.tether.internal.pipeline.Frames.bytes;
import static dev.tether.internal.pipeline.Frames.drainText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.FrameTooLongException;
import dev.tether.IdleTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Drives {@code framer → progress} on frozen time; every {@code writeInbound} is one read plus its read-complete. */
class FrameProgressHandlerTest {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final String MESSAGE =
            "a frame from 127.0.0.1:9 started but did not complete within 5000 ms (frameTimeout)";

    private final Frames.ErrorRecorder errors = new Frames.ErrorRecorder();

    private EmbeddedChannel channel(int maxLength) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        DelimiterFrameDecoder framer = DelimiterFrameDecoder.lines(maxLength);
        channel.pipeline().addLast(framer, new FrameProgressHandler(framer, TIMEOUT_NANOS, "127.0.0.1:9"), errors);
        return channel;
    }

    private static void advance(EmbeddedChannel channel, long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }

    private void assertNoErrors() {
        assertTrue(errors.errors.isEmpty(), () -> "errors: " + errors.errors);
    }

    private IdleTimeoutException onlyFrameTimeout() {
        assertEquals(1, errors.errors.size(), () -> "errors: " + errors.errors);
        ChannelFatalException fatal = assertInstanceOf(ChannelFatalException.class, errors.errors.get(0));
        return assertInstanceOf(IdleTimeoutException.class, fatal.error());
    }

    @Test
    void partialFrameThatStallsIsFatalAfterTheTimeout() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("abc"));
        advance(ch, 4_999);
        assertNoErrors();

        advance(ch, 1);
        IdleTimeoutException e = onlyFrameTimeout();
        assertTrue(e.getMessage().contains("127.0.0.1:9"), e.getMessage());
        assertTrue(e.getMessage().contains("frameTimeout"), e.getMessage());
        assertTrue(e.getMessage().contains("5000 ms"), e.getMessage());
        assertEquals(MESSAGE, e.getMessage());
        assertFalse(ch.finishAndReleaseAll());
    }

    /** A full inbox pauses reading mid-frame; the frame cannot progress, so its clock waits for reading to resume. */
    @Test
    void aPartialFrameIsNotTimedOutWhileTheClientPausesReading() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("abc"));
        ch.config().setAutoRead(false);
        advance(ch, 60_000);
        assertNoErrors();

        ch.config().setAutoRead(true);
        advance(ch, 5_000);
        assertEquals(MESSAGE, onlyFrameTimeout().getMessage());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void partialFrameCompletedInTimeCancelsTheTimer() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("abc"));
        advance(ch, 4_900);
        ch.writeInbound(bytes("\n"));
        assertEquals(List.of("abc"), drainText(ch));
        assertEquals(-1, ch.runScheduledPendingTasks(), "no timer may be left");

        advance(ch, 60_000);
        assertNoErrors();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void drippingBytesDoNotResetTheClock() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("a"));
        for (int i = 0; i < 4; i++) {
            advance(ch, 1_000);
            ch.writeInbound(bytes("b"));
            assertNoErrors();
        }
        advance(ch, 999);
        assertNoErrors();

        advance(ch, 1); // 5 s after the first byte
        assertEquals(MESSAGE, onlyFrameTimeout().getMessage());
        assertEquals(List.of(), drainText(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void eachReadThatCompletesAFrameRestartsTheClockForTheNextOne() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("a0"));
        for (int i = 1; i <= 10; i++) {
            advance(ch, 3_000);
            ch.writeInbound(bytes("\na" + i));
            assertEquals(List.of("a" + (i - 1)), drainText(ch));
            assertNoErrors();
        }
        // the last frame "a10" is still partial and started at 30 s: it times out at 35 s, not before
        advance(ch, 4_999);
        assertNoErrors();
        advance(ch, 1);
        assertEquals(MESSAGE, onlyFrameTimeout().getMessage());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void discardingAnOverlongLineCountsAsAPartialFrame() {
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(bytes("0123456789")); // over maxLength without LF: the decoder discards it
        assertFalse(ch.runScheduledPendingTasks() == -1, "a timer must be running while discarding");
        for (int i = 0; i < 4; i++) {
            advance(ch, 1_000);
            ch.writeInbound(bytes("xxxx"));
        }
        advance(ch, 999);
        assertNoErrors();

        advance(ch, 1);
        assertEquals(MESSAGE, onlyFrameTimeout().getMessage());
        assertEquals(List.of(), drainText(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void overlongLineThatEndsInTimeIsReportedButNotTimedOut() {
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(bytes("0123456789"));
        advance(ch, 4_000);
        ch.writeInbound(bytes("\nok\n"));
        assertEquals(List.of("ok"), drainText(ch));
        assertEquals(-1, ch.runScheduledPendingTasks(), "no timer may be left");

        advance(ch, 60_000);
        assertEquals(1, errors.errors.size(), () -> "errors: " + errors.errors);
        assertInstanceOf(FrameTooLongException.class, errors.errors.get(0));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void frameStartingInTheReadThatEndsADroppedLineGetsItsOwnClock() {
        EmbeddedChannel ch = channel(4);
        ch.writeInbound(bytes("abc")); // t=0: a frame starts
        advance(ch, 4_000);
        ch.writeInbound(bytes("defgh\nxy")); // t=4 s: that line ends over-long and is dropped; "xy" starts
        assertEquals(1, errors.errors.size(), () -> "errors: " + errors.errors);
        assertInstanceOf(FrameTooLongException.class, errors.errors.get(0));
        errors.errors.clear();

        advance(ch, 4_999); // t=8.999 s: "xy" is 4.999 s old
        assertNoErrors();
        advance(ch, 1);
        assertEquals(MESSAGE, onlyFrameTimeout().getMessage());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void closeStopsTheTimer() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("abc"));
        assertFalse(ch.finishAndReleaseAll());

        advance(ch, 60_000);
        assertEquals(-1, ch.runScheduledPendingTasks());
        assertNoErrors();
    }

    @Test
    void channelInactiveCancelsTheTimer() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("abc"));
        assertFalse(ch.runScheduledPendingTasks() == -1, "a timer must be running for the partial frame");

        // EmbeddedChannel.close() drops every scheduled task itself, so fire inactive alone to see the handler's cancel
        ch.pipeline().fireChannelInactive();
        assertEquals(-1, ch.runScheduledPendingTasks(), "the handler must cancel its timer");

        advance(ch, 60_000);
        assertNoErrors();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void removingTheHandlerCancelsTheTimer() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(bytes("abc"));
        ch.pipeline().remove(FrameProgressHandler.class);
        assertEquals(-1, ch.runScheduledPendingTasks(), "the handler must cancel its timer");

        advance(ch, 60_000);
        assertNoErrors();
        assertFalse(ch.finishAndReleaseAll());
    }
}
