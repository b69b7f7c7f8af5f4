/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Helpers for driving frame handlers on an {@link EmbeddedChannel}. */
final class Frames {
    private Frames() {}

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, UTF_8);
    }

    static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer(values.length);
        for (int v : values) {
            buf.writeByte(v);
        }
        return buf;
    }

    /** Reads every inbound frame as UTF-8 text, releasing each. */
    static List<String> drainText(EmbeddedChannel channel) {
        List<String> out = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            ByteBuf buf = (ByteBuf) m;
            out.add(buf.toString(UTF_8));
            buf.release();
        }
        return out;
    }

    /** Captures exceptions that reach the end of the pipeline, instead of letting EmbeddedChannel rethrow them. */
    static final class ErrorRecorder extends ChannelInboundHandlerAdapter {
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }
}
