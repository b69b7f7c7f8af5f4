/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.FrameTooLongException;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A frame split across reads is completed from the next read without copying that read behind it: every framer
 * decodes the same frames wherever the reads are cut, and the read after a split is decoded where it lies.
 */
class SplitReadsTest {
    private static final List<String> PAYLOADS = List.of("alpha", "", "béta", "x", "a somewhat longer frame", "z!");

    static Stream<Arguments> framings() {
        return Stream.of(
                Arguments.of(Framing.lines(64)),
                Arguments.of(Framing.delimiter("||".getBytes(UTF_8), 64)),
                Arguments.of(Framing.lengthField(1, 64)),
                Arguments.of(Framing.lengthField(2, 64)),
                Arguments.of(Framing.lengthField(4, 64)),
                Arguments.of(Framing.lengthField(8, 64)),
                Arguments.of(Framing.fixed(5)));
    }

    private static List<String> payloads(Framing framing) {
        if (framing.kind() == Framing.Kind.FIXED) {
            return List.of("alpha", "b\u00e9ta", "xxxxx", "12345"); // "béta" is five bytes in UTF-8
        }
        return PAYLOADS;
    }

    private static byte[] encode(Framing framing, List<String> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String payload : payloads) {
            byte[] p = payload.getBytes(UTF_8);
            switch (framing.kind()) {
                case LINES -> {
                    out.writeBytes(p);
                    out.write('\n');
                }
                case DELIMITER -> {
                    out.writeBytes(p);
                    out.writeBytes(framing.delimiter());
                }
                case LENGTH_FIELD -> {
                    int n = framing.lengthFieldSize();
                    byte[] prefix = ByteBuffer.allocate(8).putLong(p.length).array();
                    out.write(prefix, 8 - n, n);
                    out.writeBytes(p);
                }
                default -> out.writeBytes(p);
            }
        }
        return out.toByteArray();
    }

    private static List<String> decode(Framing framing, byte[] stream, int... cuts) {
        EmbeddedChannel channel = new EmbeddedChannel(PipelineInitializer.newFramer(framing, Codec.utf8()));
        int from = 0;
        for (int cut : cuts) {
            channel.writeInbound(Unpooled.copiedBuffer(stream, from, cut - from));
            from = cut;
        }
        channel.writeInbound(Unpooled.copiedBuffer(stream, from, stream.length - from));
        List<String> decoded = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            decoded.add((String) m);
        }
        assertFalse(channel.finishAndReleaseAll());
        return decoded;
    }

    @ParameterizedTest
    @MethodSource("framings")
    void theSameFramesComeOutWhereverTheReadsAreCut(Framing framing) {
        List<String> payloads = payloads(framing);
        byte[] stream = encode(framing, payloads);

        for (int i = 0; i <= stream.length; i++) {
            for (int j = i; j <= stream.length; j++) {
                assertEquals(payloads, decode(framing, stream, i, j), framing + " cut at " + i + " and " + j);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("framings")
    void theReadAfterASplitFrameIsDecodedWhereItLies(Framing framing) {
        List<String> payloads = payloads(framing);
        byte[] stream = encode(framing, payloads);
        int frame = encode(framing, payloads.subList(0, 1)).length;
        EmbeddedChannel channel = new EmbeddedChannel(PipelineInitializer.newFramer(framing, Codec.utf8()));
        // the first read ends two bytes into the first frame, the second one byte before the end of the stream
        ByteBuf second = Unpooled.copiedBuffer(stream, 2, stream.length - 3);

        channel.writeInbound(Unpooled.copiedBuffer(stream, 0, 2));
        channel.writeInbound(second);

        assertTrue(frame > 2 && frame < stream.length - 1, "the split frame ends inside the second read");
        assertEquals(
                1,
                second.refCnt(),
                "the second read is kept for its unfinished last frame, not copied behind the first and released");
        channel.writeInbound(Unpooled.copiedBuffer(stream, stream.length - 1, 1));
        List<String> decoded = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            decoded.add((String) m);
        }
        assertEquals(payloads, decoded);
        assertEquals(0, second.refCnt());
        assertFalse(channel.finishAndReleaseAll());
    }

    /**
     * Lines of up to 150 bytes, some ending in CRLF, some empty, with two over the maximum among them, in reads of up
     * to 2 KiB cut at random (seeded) points: long reads are cut in one pass, short ones frame by frame, and both must
     * agree, an over-long line reported in its place between the lines around it.
     */
    @Test
    void longReadsOfLinesAreCutLikeShortOnesWithOverlongLinesReportedInOrder() {
        Random random = new Random(42);
        StringBuilder stream = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            boolean overlong = i == 700 || i == 1500;
            String line = "x"
                    .repeat(overlong ? 201 + random.nextInt(400) : random.nextInt(151))
                    .replace('x', (char) ('a' + i % 26));
            stream.append(line).append(random.nextInt(4) == 0 ? "\r\n" : "\n");
            expected.add(overlong ? "error: line of " + line.length() + " bytes exceeds maxLength 200" : line);
        }
        byte[] bytes = stream.toString().getBytes(UTF_8);
        for (int round = 0; round < 20; round++) {
            List<String> got = new ArrayList<>();
            EmbeddedChannel channel = new EmbeddedChannel(
                    PipelineInitializer.newFramer(Framing.lines(200), Codec.utf8()),
                    new io.netty.channel.ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                            got.add((String) msg);
                        }

                        @Override
                        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                            got.add("error: " + cause.getMessage().replaceAll(";.*", ""));
                        }
                    });
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(round % 2 == 0 ? 2048 : 300));
                channel.writeInbound(Unpooled.copiedBuffer(bytes, at, n));
                at += n;
            }
            assertEquals(expected, got, "round " + round);
            assertFalse(channel.finishAndReleaseAll());
        }
    }

    @Test
    void theRestOfTheReadIsReleasedWhenCompletingTheSplitFrameFails() {
        FrameDecoder failing = new FrameDecoder() {
            @Override
            protected int bytesToComplete(ByteBuf pending, ByteBuf in) {
                return 2 - pending.readableBytes();
            }

            @Override
            protected void decode(io.netty.channel.ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                if (in.readableBytes() >= 2) {
                    if (in.getByte(in.readerIndex() + 1) == 'X') {
                        throw new IllegalStateException("bad frame");
                    }
                    out.add(in.readRetainedSlice(2));
                }
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(failing);
        channel.writeInbound(Unpooled.copiedBuffer("a", UTF_8));
        ByteBuf read = Unpooled.copiedBuffer("Xcdef", UTF_8);

        io.netty.handler.codec.DecoderException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.netty.handler.codec.DecoderException.class, () -> channel.writeInbound(read));

        assertEquals("bad frame", e.getCause().getMessage());
        assertEquals(0, read.refCnt(), "the bytes after the split frame are not leaked");
        channel.pipeline().remove(failing); // hands on the bytes it holds, which the channel then releases
        channel.finishAndReleaseAll();
    }

    @Test
    void aLengthPrefixSplitAcrossReadsIsReadWhole() {
        LengthFieldFrameDecoder decoder = new LengthFieldFrameDecoder(4, 1000);
        ByteBuf pending = Unpooled.wrappedBuffer(new byte[] {0, 0});
        ByteBuf in = Unpooled.wrappedBuffer(new byte[] {1, 2, 'a', 'b', 'c'});

        assertEquals(2 + 258, decoder.bytesToComplete(pending, in));
        assertEquals(-1, decoder.bytesToComplete(pending, Unpooled.wrappedBuffer(new byte[] {1})));
        assertEquals(
                -1,
                decoder.bytesToComplete(pending, Unpooled.wrappedBuffer(new byte[] {0x10, 0})),
                "over maxLength: left to decode, which reports it");
        assertEquals(
                -1,
                decoder.bytesToComplete(
                        Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0}), Unpooled.wrappedBuffer(new byte[] {0, 1})),
                "negative, as decode reads a 4-byte prefix");
    }

    @Test
    void anOversizedPrefixSplitAcrossReadsIsStillReported() {
        Frames.ErrorRecorder errors = new Frames.ErrorRecorder();
        EmbeddedChannel channel = new EmbeddedChannel(new LengthFieldFrameDecoder(2, 100), errors);

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 2, 'o', 'k', 0x10}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 'a', 'b', 'c'}));

        ByteBuf ok = channel.readInbound();
        assertEquals("ok", ok.toString(UTF_8));
        ok.release();
        ChannelFatalException fatal = assertInstanceOf(ChannelFatalException.class, errors.errors.get(0));
        assertInstanceOf(FrameTooLongException.class, fatal.error());
        assertFalse(channel.finishAndReleaseAll());
    }
}
