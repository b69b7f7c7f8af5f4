/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames decoded where they lie: every framer hands out the codec's messages, and the read buffer is released. */
class DecodeInPlaceTest {
    private static EmbeddedChannel channel(Framing framing, Codec<?> codec) {
        return new EmbeddedChannel(PipelineInitializer.newFramer(framing, codec));
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }

    @Test
    void linesBecomeStringsWithoutCrOrLf() {
        EmbeddedChannel channel = channel(Framing.lines(64), Codec.utf8());
        ByteBuf read = bytes("héllo\r\nworld\n");

        channel.writeInbound(read);

        assertEquals("héllo", channel.readInbound());
        assertEquals("world", channel.readInbound());
        assertNull(channel.readInbound());
        assertEquals(0, read.refCnt(), "the read is released once its whole frames are decoded");
        channel.finishAndReleaseAll();
    }

    @Test
    void lengthPrefixedFramesBecomeBytes() {
        EmbeddedChannel channel = channel(Framing.lengthField(2, 64), Codec.bytes());

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 'a', 'b', 'c', 0, 1, 'z'}));

        assertArrayEquals(new byte[] {'a', 'b', 'c'}, channel.readInbound());
        assertArrayEquals(new byte[] {'z'}, channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void fixedFramesBecomeTextInTheirCharset() {
        EmbeddedChannel channel = channel(Framing.fixed(2), Codec.text(StandardCharsets.ISO_8859_1));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'o', 'k', (byte) 0xE9, '!'}));

        assertEquals(List.of("ok", "é!"), List.of(channel.<String>readInbound(), channel.<String>readInbound()));
        channel.finishAndReleaseAll();
    }

    /** Text frames of every size decoded from direct buffers, as reads arrive, through the reused copy and past it. */
    @Test
    void textFramesOfAnySizeAreDecodedFromDirectBuffers() {
        EmbeddedChannel channel = channel(Framing.lengthField(4, 256 * 1024), Codec.utf8());
        List<String> sent = List.of(
                "é".repeat(10),
                "ü".repeat(3000), // 6,000 bytes
                "",
                "x".repeat(100_000), // over the reused copy's 64 KiB
                "ø".repeat(20_000), // 40,000 bytes, after the large one
                "ok");
        ByteBuf read = io.netty.buffer.Unpooled.directBuffer();
        for (String text : sent) {
            byte[] payload = text.getBytes(UTF_8);
            read.writeInt(payload.length).writeBytes(payload);
        }

        channel.writeInbound(read);

        for (String text : sent) {
            assertEquals(text, channel.readInbound());
        }
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void aStrictCodecStillGetsFrameBuffersToCheck() {
        EmbeddedChannel channel = channel(Framing.lines(64), Codec.strictText(UTF_8));

        channel.writeInbound(bytes("checked\n"));

        ByteBuf frame = assertInstanceOf(ByteBuf.class, channel.readInbound());
        assertEquals("checked", frame.toString(UTF_8));
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void theCodecHandlerPassesDecodedMessagesOn() {
        Framing framing = Framing.lines(64);
        EmbeddedChannel channel = new EmbeddedChannel(
                PipelineInitializer.newFramer(framing, Codec.utf8()), new CodecHandler(framing, Codec.utf8()));

        channel.writeInbound(bytes("through\n"));

        assertEquals("through", channel.readInbound());
        channel.finishAndReleaseAll();
    }
}
