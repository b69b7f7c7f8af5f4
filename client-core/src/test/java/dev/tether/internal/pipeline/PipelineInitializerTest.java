/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tether.ClientConfig;
import dev.tether.ClientException;
import dev.tether.codec.Framing;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineInitializerTest {
    private static final PipelineSink IGNORE = new PipelineSink() {
        @Override
        public void onMessage(Object message) {}

        @Override
        public void onFrameDropped(ClientException error) {}

        @Override
        public void onFatal(Throwable cause) {}

        @Override
        public void onInactive() {}
    };

    private static List<String> names(ClientConfig<?> config) {
        EmbeddedChannel channel = new EmbeddedChannel(new PipelineInitializer(config, IGNORE, "t#1", "127.0.0.1:1"));
        List<String> names = new ArrayList<>(channel.pipeline().names());
        names.remove(names.size() - 1); // EmbeddedChannel's own tail
        assertFalse(channel.finishAndReleaseAll());
        return names;
    }

    @Test
    void namesHandlersInTheDocumentedOrder() {
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddress("127.0.0.1", 1)
                .addHandler(ChannelInboundHandlerAdapter::new)
                .addHandler(ChannelInboundHandlerAdapter::new)
                .build();
        assertEquals(List.of("traffic", "framer", "codec", "user-0", "user-1", "dispatch"), names(config));
    }

    private static Class<?> codecHandler(ClientConfig<?> config) {
        EmbeddedChannel channel = new EmbeddedChannel(new PipelineInitializer(config, IGNORE, "t#1", "127.0.0.1:1"));
        Class<?> type = channel.pipeline().get("codec").getClass();
        assertFalse(channel.finishAndReleaseAll());
        return type;
    }

    @Test
    void messagesDecodedByTheFramerSkipTheCodec() {
        ClientConfig.Builder<String> lines = ClientConfig.builder().remoteAddress("127.0.0.1", 1);
        assertEquals(CodecEncoder.class, codecHandler(lines.build()), "lenient text: encoder only");
        assertEquals(
                CodecEncoder.class,
                codecHandler(ClientConfig.builder(dev.tether.codec.Codec.bytes())
                        .remoteAddress("127.0.0.1", 1)
                        .build()),
                "bytes: encoder only");
        assertEquals(
                CodecHandler.class,
                codecHandler(
                        ClientConfig.builder(dev.tether.codec.Codec.strictText(java.nio.charset.StandardCharsets.UTF_8))
                                .remoteAddress("127.0.0.1", 1)
                                .build()),
                "strict text: the codec checks each frame");
        assertEquals(
                CodecHandler.class,
                codecHandler(lines.framing(Framing.raw()).build()),
                "raw: the codec decodes each read");
    }

    @Test
    void rawFramingHasNoFramer() {
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddress("127.0.0.1", 1)
                .framing(Framing.raw())
                .build();
        assertEquals(List.of("traffic", "codec", "dispatch"), names(config));
    }

    @Test
    void deliversDecodedMessagesToTheSinkInOrder() {
        List<Object> got = new ArrayList<>();
        PipelineSink sink = new PipelineSink() {
            @Override
            public void onMessage(Object message) {
                got.add(message);
            }

            @Override
            public void onFrameDropped(ClientException error) {
                got.add(error.getClass().getSimpleName());
            }

            @Override
            public void onFatal(Throwable cause) {}

            @Override
            public void onInactive() {}
        };
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddress("127.0.0.1", 1)
                .framing(Framing.lines(3))
                .build();
        EmbeddedChannel channel = new EmbeddedChannel(new PipelineInitializer(config, sink, "t#1", "127.0.0.1:1"));
        channel.writeInbound(Frames.bytes("a\ntoolong\nb\n"));
        assertEquals(List.of("a", "FrameTooLongException", "b"), got);
        assertFalse(channel.finishAndReleaseAll());
    }
}
