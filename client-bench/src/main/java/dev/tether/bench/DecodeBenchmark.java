/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.internal.pipeline.PipelineInitializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decode path alone, without sockets: one 64 KiB read of a workload goes through the frame decoder and the
 * codec, and every message reaches a sink. Scores are per frame ({@code @OperationsPerInvocation}); run with
 * {@code -prof gc} for the allocation per frame. Tether's framer and codec (strings and bytes) are measured beside
 * Netty's {@code LineBasedFrameDecoder} / {@code LengthFieldBasedFrameDecoder} with {@code StringDecoder}.
 *
 * <pre>
 * java -cp client-bench/target/tether-bench.jar org.openjdk.jmh.Main DecodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark {
    /** Frames in one read: about 64 KiB of 64-byte messages, 512 KiB of 512-byte ones. */
    private static final int FRAMES = 1000;

    @Param({"tether-strings", "tether-bytes", "netty"})
    public String decoder;

    @Param({"lines-64", "lenpref-64", "lines-512"})
    public String workload;

    private EmbeddedChannel channel;
    private ByteBuf read;

    /** Counts what reaches the end of the pipeline and lets it go. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        Blackhole blackhole;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            blackhole.consume(msg);
            ReferenceCountUtil.release(msg);
        }
    }

    private final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) {
        sink.blackhole = blackhole;
        Workload w = switch (workload) {
            case "lines-64" -> Workload.LINES_64;
            case "lines-512" -> Workload.LINES_512;
            default -> Workload.LENPREF_64;
        };
        boolean lines = w.format() == Workload.Format.LINES;
        read = PooledByteBufAllocator.DEFAULT.directBuffer(FRAMES * w.frameBytes());
        for (int i = 0; i < FRAMES; i++) {
            w.writeFrame(read);
        }
        ChannelHandler[] handlers = switch (decoder) {
            case "netty" ->
                new ChannelHandler[] {
                    lines
                            ? new LineBasedFrameDecoder(Workload.MAX_FRAME)
                            : new LengthFieldBasedFrameDecoder(Workload.MAX_FRAME, 0, 4, 0, 4),
                    new StringDecoder(StandardCharsets.UTF_8),
                    sink
                };
            default -> {
                Framing framing =
                        lines ? Framing.lines(Workload.MAX_FRAME) : Framing.lengthField(4, Workload.MAX_FRAME);
                Codec<?> codec = decoder.equals("tether-bytes") ? Codec.bytes() : Codec.utf8();
                // the framer and codec exactly as the client's pipeline has them
                List<ChannelHandler> tether = new ArrayList<>(PipelineInitializer.codecHandlers(framing, codec));
                tether.add(sink);
                yield tether.toArray(ChannelHandler[]::new);
            }
        };
        channel = new EmbeddedChannel(handlers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        read.release();
    }

    /** One read of a thousand frames. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void decodeOneRead() {
        channel.writeInbound(read.retainedDuplicate());
    }
}
