/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboxTest {
    @Test
    void pausesReadingWhenFullAndResumesWhenHalfEmpty() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = new Inbox<>(4);
        inbox.attach(channel);
        for (int i = 0; i < 3; i++) {
            inbox.add("m" + i, channel);
        }
        assertTrue(channel.config().isAutoRead());
        inbox.add("m3", channel);
        assertFalse(channel.config().isAutoRead(), "full: stop reading the socket");
        inbox.add("m4", channel); // frames already read still arrive, none is lost
        assertEquals(Optional.of("m0"), inbox.poll(Duration.ZERO));
        assertEquals(Optional.of("m1"), inbox.poll(Duration.ZERO));
        assertFalse(channel.config().isAutoRead(), "3 left, above half of 4");
        assertEquals(Optional.of("m2"), inbox.poll(Duration.ZERO));
        assertTrue(channel.config().isAutoRead(), "half empty: read again");
        assertEquals(Optional.of("m3"), inbox.poll(Duration.ZERO));
        assertEquals(Optional.of("m4"), inbox.poll(Duration.ZERO));
        assertEquals(Optional.empty(), inbox.poll(Duration.ZERO));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aChannelAttachedWhileFullStartsPaused() throws Exception {
        EmbeddedChannel lost = new EmbeddedChannel();
        Inbox<String> inbox = new Inbox<>(2);
        inbox.attach(lost);
        inbox.add("a", lost);
        inbox.add("b", lost);
        EmbeddedChannel reconnected = new EmbeddedChannel();
        inbox.attach(reconnected);
        assertFalse(reconnected.config().isAutoRead(), "the inbox is still full");
        assertEquals(Optional.of("a"), inbox.poll(Duration.ZERO));
        assertTrue(reconnected.config().isAutoRead());
        assertFalse(lost.finishAndReleaseAll());
        assertFalse(reconnected.finishAndReleaseAll());
    }

    @Test
    void endWakesEveryReceiverAfterTheLastMessage() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = new Inbox<>(4);
        inbox.add("last", channel);
        inbox.end();
        assertEquals(Optional.of("last"), inbox.poll(Duration.ofSeconds(5)));
        long start = System.nanoTime();
        assertEquals(Optional.empty(), inbox.poll(Duration.ofSeconds(30)));
        assertEquals(Optional.empty(), inbox.poll(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "returned at once, not on timeout");
        assertFalse(channel.finishAndReleaseAll());
    }
}
