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
import dev.tether.MalformedFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LengthFieldFrameDecoderTest {
    private final Frames.ErrorRecorder errors = new Frames.ErrorRecorder();

    private static ByteBuf framed(int prefixBytes, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        switch (prefixBytes) {
            case 1 -> buf.writeByte(p.length);
            case 2 -> buf.writeShort(p.length);
            case 4 -> buf.writeInt(p.length);
            default -> buf.writeLong(p.length);
        }
        return buf.writeBytes(p);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void cutsFramesForEveryPrefixSizeEvenWhenSplit(int prefix) {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(prefix, 100), errors);
        ByteBuf all = Unpooled.wrappedBuffer(framed(prefix, "hello"), framed(prefix, ""), framed(prefix, "world"));
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(Math.min(3, all.readableBytes())));
        }
        all.release();
        assertEquals(List.of("hello", "", "world"), drainText(ch));
        assertTrue(errors.errors.isEmpty());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void oneByteLengthIsUnsigned() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(1, 255), errors);
        ByteBuf frame = Unpooled.buffer().writeByte(200).writeBytes(new byte[200]);
        ch.writeInbound(frame);
        ByteBuf out = ch.readInbound();
        assertEquals(200, out.readableBytes());
        out.release();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void negativeLengthIsFatalAndDiscardsTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(4, 100), errors);
        ch.writeInbound(framed(4, "ok"));
        ch.writeInbound(bytes(0xFF, 0xFF, 0xFF, 0xFF, 'x', 'y'));
        ch.writeInbound(framed(4, "never"));
        assertEquals(List.of("ok"), drainText(ch));
        ChannelFatalException fatal = assertInstanceOf(ChannelFatalException.class, errors.errors.get(0));
        assertInstanceOf(MalformedFrameException.class, fatal.error());
        assertTrue(
                fatal.error().getMessage().contains("negative (-1)"),
                fatal.error().getMessage());
        assertEquals(1, errors.errors.size());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void overLimitLengthIsFatalAndNamesBothNumbers() {
        EmbeddedChannel ch = new EmbeddedChannel(new LengthFieldFrameDecoder(4, 100), errors);
        ch.writeInbound(bytes(0, 0, 0x10, 0, 'x'));
        ChannelFatalException fatal = assertInstanceOf(ChannelFatalException.class, errors.errors.get(0));
        FrameTooLongException e = assertInstanceOf(FrameTooLongException.class, fatal.error());
        assertEquals(4096, e.length());
        assertEquals(100, e.maxLength());
        assertTrue(e.getMessage().contains("4096 bytes, over maxLength 100"), e.getMessage());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void fixedFramesAreCutAtTheirSize() {
        EmbeddedChannel ch = new EmbeddedChannel(new FixedFrameDecoder(3));
        ch.writeInbound(bytes("abcde"));
        ch.writeInbound(bytes("f"));
        assertEquals(List.of("abc", "def"), drainText(ch));
        assertFalse(ch.finishAndReleaseAll());
    }
}
