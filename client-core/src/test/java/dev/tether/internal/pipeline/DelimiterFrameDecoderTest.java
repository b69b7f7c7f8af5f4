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
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelimiterFrameDecoderTest {
    private final Frames.ErrorRecorder errors = new Frames.ErrorRecorder();

    private EmbeddedChannel lines(int max) {
        return new EmbeddedChannel(DelimiterFrameDecoder.lines(max), errors);
    }

    @Test
    void cutsLfAndCrlfLinesAndStripsDelimiters() {
        EmbeddedChannel ch = lines(100);
        ch.writeInbound(bytes("one\ntwo\r\n\nthree\r"));
        assertEquals(List.of("one", "two", ""), drainText(ch));
        ch.writeInbound(bytes("\n"));
        assertEquals(List.of("three"), drainText(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void joinsALineSplitAcrossManyReads() {
        EmbeddedChannel ch = lines(100);
        for (char c : "split line".toCharArray()) {
            ch.writeInbound(bytes(String.valueOf(c)));
        }
        assertEquals(List.of(), drainText(ch));
        ch.writeInbound(bytes("\nnext\n"));
        assertEquals(List.of("split line", "next"), drainText(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void lineOfExactlyMaxLengthPassesEvenWithCrlf() {
        EmbeddedChannel ch = lines(5);
        ch.writeInbound(bytes("12345\r"));
        ch.writeInbound(bytes("\n12345\n"));
        assertEquals(List.of("12345", "12345"), drainText(ch));
        assertTrue(errors.errors.isEmpty());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void dropsAnOverlongLineInOneReadAndKeepsItsNeighbours() {
        EmbeddedChannel ch = lines(5);
        ch.writeInbound(bytes("ok\n123456789\nafter\n"));
        assertEquals(List.of("ok", "after"), drainText(ch));
        FrameTooLongException e = assertInstanceOf(FrameTooLongException.class, errors.errors.get(0));
        assertEquals(9, e.length());
        assertEquals(5, e.maxLength());
        assertTrue(e.getMessage().contains("line of 9 bytes exceeds maxLength 5"), e.getMessage());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void discardsAnOverlongLineArrivingInChunksWithoutBufferingIt() {
        EmbeddedChannel ch = lines(8);
        ch.writeInbound(bytes("before\n0123456789"));
        ch.writeInbound(bytes("0123456789"));
        ch.writeInbound(bytes("0123456789"));
        assertEquals(List.of("before"), drainText(ch));
        assertTrue(errors.errors.isEmpty(), "reported only once the line ends");
        ch.writeInbound(bytes("xyz\nafter\n"));
        assertEquals(List.of("after"), drainText(ch));
        FrameTooLongException e = assertInstanceOf(FrameTooLongException.class, errors.errors.get(0));
        assertEquals(33, e.length());
        assertEquals(1, errors.errors.size());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void multiByteDelimiterSplitAcrossReads() {
        EmbeddedChannel ch = new EmbeddedChannel(DelimiterFrameDecoder.delimiter(new byte[] {'|', '|'}, 10), errors);
        ch.writeInbound(bytes("a|b|"));
        ch.writeInbound(bytes("|c||"));
        ch.writeInbound(bytes("d|"));
        assertEquals(List.of("a|b", "c"), drainText(ch));
        ch.writeInbound(bytes("|"));
        assertEquals(List.of("d"), drainText(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void multiByteDelimiterDropsOverlongFrameAndResumes() {
        EmbeddedChannel ch = new EmbeddedChannel(DelimiterFrameDecoder.delimiter(new byte[] {0, 0}, 4), errors);
        ch.writeInbound(bytes('a', 'b', 'c', 'd', 'e', 'f', 'g'));
        ch.writeInbound(bytes(0));
        ch.writeInbound(bytes(0, 'o', 'k', 0, 0));
        assertEquals(List.of("ok"), drainText(ch));
        FrameTooLongException e = assertInstanceOf(FrameTooLongException.class, errors.errors.get(0));
        assertEquals(7, e.length());
        assertFalse(ch.finishAndReleaseAll());
    }
}
