/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.ClientConfig;
import dev.tether.codec.Framing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds a channel's pipeline: {@code framer} (absent for raw framing), {@code codec}, {@code user-<n>}, and
 * {@code dispatch}. The names are documented and stable.
 */
public final class PipelineInitializer extends ChannelInitializer<Channel> {
    /** Name of the frame decoder. */
    public static final String FRAMER = "framer";
    /** Name of the codec handler (decode inbound, encode and frame outbound). */
    public static final String CODEC = "codec";
    /** Name of the last handler. */
    public static final String DISPATCH = "dispatch";

    private final ClientConfig<?> config;
    private final PipelineSink sink;
    private final String connectionId;

    /** Creates the initializer for one connection attempt. */
    public PipelineInitializer(ClientConfig<?> config, PipelineSink sink, String connectionId) {
        this.config = config;
        this.sink = sink;
        this.connectionId = connectionId;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        ChannelHandler framer = newFramer(config.framing());
        if (framer != null) {
            pipeline.addLast(FRAMER, framer);
        }
        pipeline.addLast(CODEC, new CodecHandler(config.framing(), config.codec()));
        int n = 0;
        for (Supplier<? extends ChannelHandler> factory : config.userHandlers()) {
            String name = "user-" + n++;
            pipeline.addLast(
                    name,
                    Objects.requireNonNull(factory.get(), () -> "handler factory for " + name + " returned null"));
        }
        pipeline.addLast(DISPATCH, new Dispatcher(sink, connectionId));
    }

    /** Returns a new frame decoder for {@code framing}, or null for raw framing. */
    public static ChannelHandler newFramer(Framing framing) {
        return switch (framing.kind()) {
            case LINES -> DelimiterFrameDecoder.lines(framing.maxLength());
            case DELIMITER -> DelimiterFrameDecoder.delimiter(framing.delimiter(), framing.maxLength());
            case LENGTH_FIELD -> new LengthFieldFrameDecoder(framing.lengthFieldSize(), framing.maxLength());
            case FIXED -> new FixedFrameDecoder(framing.maxLength());
            case RAW -> null;
        };
    }
}
