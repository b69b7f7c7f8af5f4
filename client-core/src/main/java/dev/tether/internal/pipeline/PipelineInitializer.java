/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.ClientConfig;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds a channel's pipeline: {@code traffic}, {@code idle}, {@code framer} (absent for raw framing), {@code progress}, {@code
 * codec}, {@code heartbeat}, {@code user-<n>}, and {@code dispatch}; the idle handlers only when the idle policy
 * asks for them. The names are documented and stable.
 */
public final class PipelineInitializer extends ChannelInitializer<Channel> {
    /** Name of the handler that counts the bytes read, first in the pipeline. */
    public static final String TRAFFIC = "traffic";
    /** Name of the frame decoder. */
    public static final String FRAMER = "framer";
    /** Name of Netty's idle-state detector; present when the idle policy has a read timeout or heartbeat. */
    public static final String IDLE = "idle";
    /** Name of the frame-progress watchdog; present when the idle policy has a frame timeout. */
    public static final String PROGRESS = "progress";
    /** Name of the handler that acts on idle events. */
    public static final String HEARTBEAT = "heartbeat";
    /** Name of the codec handler (decode inbound, encode and frame outbound). */
    public static final String CODEC = "codec";
    /** Name of the last handler. */
    public static final String DISPATCH = "dispatch";

    private final ClientConfig<?> config;
    private final PipelineSink sink;
    private final String connectionId;
    private final String peer;

    /** Creates the initializer for one connection attempt to {@code peer} (as named in messages). */
    public PipelineInitializer(ClientConfig<?> config, PipelineSink sink, String connectionId, String peer) {
        this.config = config;
        this.sink = sink;
        this.connectionId = connectionId;
        this.peer = peer;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(TRAFFIC, new TrafficCounter(sink));
        IdlePolicy idle = config.idle();
        boolean watchIdle =
                !idle.readTimeout().isZero() || !idle.heartbeatInterval().isZero();
        if (watchIdle) {
            pipeline.addLast(
                    IDLE,
                    new IdleStateHandler(
                            idle.readTimeout().toNanos(),
                            idle.heartbeatInterval().toNanos(),
                            0,
                            TimeUnit.NANOSECONDS));
        }
        FrameDecoder framer = newFramer(config.framing(), config.codec());
        if (framer != null) {
            pipeline.addLast(FRAMER, framer);
            if (!idle.frameTimeout().isZero()) {
                pipeline.addLast(
                        PROGRESS,
                        new FrameProgressHandler(framer, idle.frameTimeout().toNanos(), peer));
            }
        }
        pipeline.addLast(CODEC, newCodec(framer, config.framing(), config.codec()));
        if (watchIdle) {
            pipeline.addLast(
                    HEARTBEAT,
                    new HeartbeatHandler(
                            idle.readTimeout(), idle.heartbeatMessage().orElse(null), peer));
        }
        int n = 0;
        for (Supplier<? extends ChannelHandler> factory : config.userHandlers()) {
            String name = "user-" + n++;
            pipeline.addLast(
                    name,
                    Objects.requireNonNull(factory.get(), () -> "handler factory for " + name + " returned null"));
        }
        pipeline.addLast(DISPATCH, new Dispatcher(sink, connectionId));
    }

    /**
     * Returns the {@code framer} (none for raw framing) and {@code codec} handlers, in pipeline order, as a channel with
     * this framing and codec gets them. Public for client-bench's {@code DecodeBenchmark}, which measures this decode
     * path without a connection; the handlers themselves stay package-private.
     */
    public static List<ChannelHandler> codecHandlers(Framing framing, Codec<?> codec) {
        FrameDecoder framer = newFramer(framing, codec);
        ChannelHandler codecHandler = newCodec(framer, framing, codec);
        return framer == null ? List.of(codecHandler) : List.of(framer, codecHandler);
    }

    /**
     * Returns a new frame decoder for {@code framing} that hands out {@code codec}'s messages where the codec allows
     * (see {@link FrameDecoder#decodeInPlace(Codec)}), or null for raw framing.
     */
    static FrameDecoder newFramer(Framing framing, Codec<?> codec) {
        FrameDecoder framer = switch (framing.kind()) {
            case LINES -> DelimiterFrameDecoder.lines(framing.maxLength());
            case DELIMITER -> DelimiterFrameDecoder.delimiter(framing.delimiter(), framing.maxLength());
            case LENGTH_FIELD -> new LengthFieldFrameDecoder(framing.lengthFieldSize(), framing.maxLength());
            case FIXED -> new FixedFrameDecoder(framing.maxLength());
            case RAW -> null;
        };
        return framer == null ? null : framer.decodeInPlace(codec);
    }

    /** Returns the codec handler that follows {@code framer}, which is null for raw framing. */
    private static ChannelHandler newCodec(FrameDecoder framer, Framing framing, Codec<?> codec) {
        // where the framer hands out messages, inbound messages skip the codec: one handler hop less per message
        return framer != null && framer.decodesInPlace()
                ? new CodecEncoder(framing, codec)
                : new CodecHandler(framing, codec);
    }
}
