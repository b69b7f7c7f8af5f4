/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tether.ClientException;
import dev.tether.FrameTooLongException;
import dev.tether.IdleTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink gets each error in its original type, so the connection can classify it by type (issue 10). */
class DispatcherTest {
    private final List<Throwable> fatal = new ArrayList<>();
    private final List<ClientException> dropped = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new Dispatcher(
            new PipelineSink() {
                @Override
                public void onMessage(Object message) {}

                @Override
                public void onFrameDropped(ClientException error) {
                    dropped.add(error);
                }

                @Override
                public void onFatal(Throwable cause) {
                    fatal.add(cause);
                }

                @Override
                public void onInactive() {}
            },
            "t#1"));

    @AfterEach
    void finish() {
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anIdleTimeoutArrivesAsItselfNotAsTheWrapper() {
        IdleTimeoutException timeout = new IdleTimeoutException("no data for 100 ms");
        channel.pipeline().fireExceptionCaught(new ChannelFatalException(timeout));
        assertEquals(List.of(timeout), fatal);
        assertEquals(List.of(), dropped);
    }

    @Test
    void aFrameErrorMarkedFatalClosesInsteadOfDropping() {
        FrameTooLongException corrupt = new FrameTooLongException("prefix announces 4096 bytes", 4096, 100);
        channel.pipeline().fireExceptionCaught(new DecoderException(new ChannelFatalException(corrupt)));
        assertEquals(List.of(corrupt), fatal);
        assertEquals(List.of(), dropped);
    }

    @Test
    void aPlainFrameErrorDropsTheFrame() {
        FrameTooLongException line = new FrameTooLongException("line of 10 bytes", 10, 3);
        channel.pipeline().fireExceptionCaught(new DecoderException(line));
        assertEquals(List.of(line), dropped);
        assertEquals(List.of(), fatal);
    }

    @Test
    void anIoErrorArrivesUnchanged() {
        IOException reset = new IOException("Connection reset by peer");
        channel.pipeline().fireExceptionCaught(reset);
        assertEquals(1, fatal.size());
        assertSame(reset, fatal.get(0));
    }

    @Test
    void aUserHandlerThatThrowsLeavesTheChannelAlone() {
        channel.pipeline().fireExceptionCaught(new IllegalStateException("user handler bug"));
        assertEquals(List.of(), fatal);
        assertEquals(List.of(), dropped);
    }
}
