/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static dev.tether.internal.pipeline.Frames.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.FrameTooLongException;
import dev.tether.MalformedFrameException;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecHandlerTest {
    private final Frames.ErrorRecorder errors = new Frames.ErrorRecorder();

    private EmbeddedChannel channel(Framing framing, Codec<?> codec) {
        return new EmbeddedChannel(new CodecHandler(framing, codec), errors);
    }

    private static String written(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        String hex = ByteBufUtil.hexDump(out);
        out.release();
        return hex;
    }

    @Test
    void decodesUtf8AndReplacesInvalidBytesByDefault() {
        EmbeddedChannel ch = channel(Framing.lines(100), Codec.utf8());
        ch.writeInbound(bytes("h\u00e9llo"));
        ch.writeInbound(bytes('a', 0xC3, 0x28, 'b'));
        assertEquals("h\u00e9llo", ch.readInbound());
        assertEquals("a\uFFFD(b", ch.readInbound());
        assertTrue(errors.errors.isEmpty());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void strictCodecDropsAnInvalidFrameWithItsOffsetAndKeepsTheNext() {
        EmbeddedChannel ch = channel(Framing.lines(100), Codec.strictText(UTF_8));
        ch.writeInbound(bytes('o', 'k', 0xFF, '!'));
        ch.writeInbound(bytes("fine"));
        assertEquals("fine", ch.readInbound());
        assertNull(ch.readInbound());
        MalformedFrameException e = assertInstanceOf(MalformedFrameException.class, errors.errors.get(0));
        assertEquals("invalid UTF-8 at byte 2 of a 4-byte frame; dropped it", e.getMessage());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void bytesCodecDeliversArrays() {
        EmbeddedChannel ch = channel(Framing.raw(), Codec.bytes());
        ch.writeInbound(bytes(1, 2, 3));
        assertArrayEquals(new byte[] {1, 2, 3}, ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void appendsTheLineDelimiterOnSend() {
        EmbeddedChannel ch = channel(Framing.lines(100), Codec.utf8());
        ch.writeOutbound("hi\u00e9");
        assertEquals("6869c3a90a", written(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void refusesAMessageThatContainsTheDelimiter() {
        EmbeddedChannel ch = channel(Framing.lines(100), Codec.utf8());
        ChannelFuture f = ch.writeAndFlush("two\nlines");
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, f.cause());
        assertTrue(e.getMessage().contains("contains the line delimiter"), e.getMessage());
        assertNull(ch.readOutbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void appendsACustomDelimiterAndChecksForIt() {
        EmbeddedChannel ch = channel(Framing.delimiter(new byte[] {0, 0}, 100), Codec.bytes());
        ch.writeOutbound((Object) new byte[] {1, 0, 2});
        assertEquals("0100020000", written(ch));
        assertInstanceOf(
                IllegalArgumentException.class,
                ch.writeAndFlush(new byte[] {1, 0, 0, 2}).cause());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void prefixesTheLengthForEachPrefixSize() {
        for (int prefix : new int[] {1, 2, 4, 8}) {
            EmbeddedChannel ch = new EmbeddedChannel(
                    new CodecHandler(Framing.lengthField(prefix, 100), Codec.text(StandardCharsets.US_ASCII)));
            ch.writeOutbound("abc");
            assertEquals("00".repeat(prefix - 1) + "03616263", written(ch));
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void refusesAnOutboundFrameOverMaxLength() {
        EmbeddedChannel ch = channel(Framing.lengthField(4, 3), Codec.utf8());
        FrameTooLongException e = assertInstanceOf(
                FrameTooLongException.class, ch.writeAndFlush("abcd").cause());
        assertEquals(4, e.length());
        assertNull(ch.readOutbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void fixedFramingNeedsTheExactSize() {
        EmbeddedChannel ch = channel(Framing.fixed(4), Codec.bytes());
        IllegalArgumentException e = assertInstanceOf(
                IllegalArgumentException.class, ch.writeAndFlush(new byte[3]).cause());
        assertEquals("fixed framing needs messages of exactly 4 bytes, was 3", e.getMessage());
        ch.writeOutbound((Object) new byte[4]);
        assertEquals("00000000", written(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void passesForeignOutboundObjectsThrough() {
        EmbeddedChannel ch = channel(Framing.lines(10), Codec.utf8());
        ch.writeOutbound(bytes("raw"));
        assertEquals("726177", written(ch));
        assertFalse(ch.finishAndReleaseAll());
    }
}
