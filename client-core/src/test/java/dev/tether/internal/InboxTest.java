/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The inbox on an {@link EmbeddedChannel}: the test thread plays both the I/O thread and the receivers, and the
 * resume a receiver asks for runs when the test runs the channel's pending tasks, so each order of the two sides can
 * be set up exactly.
 */
class InboxTest {
    @Test
    void pausesReadingWhenFullAndResumesWhenHalfEmpty() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(4, Long.MAX_VALUE, channel.eventLoop()), channel);
        read(inbox, "m0", "m1");
        assertTrue(channel.config().isAutoRead());
        read(inbox, "m2", "m3", "m4"); // frames already read when it fills up still arrive, none is lost
        assertFalse(channel.config().isAutoRead(), "full: stop reading the socket");
        assertEquals("m0", inbox.pollNow());
        assertEquals("m1", inbox.pollNow());
        channel.runPendingTasks();
        assertFalse(channel.config().isAutoRead(), "3 left, above half of 4");
        assertEquals("m2", inbox.pollNow());
        assertEquals("m3", inbox.pollNow());
        channel.runPendingTasks();
        assertFalse(channel.config().isAutoRead(), "a read's messages count until the last of them is taken");
        assertEquals("m4", inbox.pollNow());
        channel.runPendingTasks();
        assertTrue(channel.config().isAutoRead(), "empty: read again");
        assertNull(inbox.pollNow());
        assertFalse(channel.finishAndReleaseAll());
    }

    /** Issue 13: once a drain stopped reading, taking messages never turns reading back on. */
    @Test
    void issue13AfterStopReadingReceiversNeverResumeIt() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(2, Long.MAX_VALUE, channel.eventLoop()), channel);
        read(inbox, "a", "b");
        assertFalse(channel.config().isAutoRead(), "full");
        inbox.stopReading();
        assertEquals("a", inbox.pollNow());
        assertEquals("b", inbox.pollNow());
        channel.runPendingTasks();
        assertFalse(channel.config().isAutoRead(), "empty, but stopped for good");
        inbox.attach(channel);
        assertFalse(channel.config().isAutoRead(), "and a channel attached later stays stopped too");
        assertFalse(channel.finishAndReleaseAll());
    }

    /**
     * Issue 13: a drain's wake-up runs on the loop once the inbox is empty, whether the receiver takes the last
     * message before the drain registers (it runs at once) or after (the receiver queues it on the loop), and the
     * taken count says how many were taken.
     */
    @Test
    void issue13WhenEmptyRunsOnceTheLastMessageIsTakenInEitherOrder() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(16, Long.MAX_VALUE, channel.eventLoop()), channel);
        read(inbox, "a", "b");
        AtomicInteger woken = new AtomicInteger();
        inbox.whenEmpty(woken::incrementAndGet);
        assertEquals(0, woken.get(), "two messages wait");
        assertEquals("a", inbox.pollNow());
        channel.runPendingTasks();
        assertEquals(0, woken.get(), "a read's messages count until the last of them is taken");
        assertEquals("b", inbox.pollNow());
        assertEquals(0, woken.get(), "the receiver does not run it: the loop does");
        channel.runPendingTasks();
        assertEquals(1, woken.get());
        assertEquals(2, inbox.takenMessages());

        inbox.whenEmpty(null);
        read(inbox, "c");
        assertEquals("c", inbox.pollNow());
        channel.runPendingTasks();
        assertEquals(1, woken.get(), "cancelled");
        inbox.whenEmpty(woken::incrementAndGet);
        assertEquals(2, woken.get(), "already empty: at once");
        assertEquals(3, inbox.takenMessages());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void pausesOnBytesBeforeMessages() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<byte[]> inbox = attached(new Inbox<>(1024, 1000, channel.eventLoop()), channel);
        inbox.add(new byte[600]);
        inbox.flush();
        assertTrue(channel.config().isAutoRead(), "600 of 1000 bytes");
        inbox.add(new byte[400]);
        inbox.flush();
        assertFalse(channel.config().isAutoRead(), "1000 bytes in two messages: full");
        assertEquals(600, ((byte[]) inbox.pollNow()).length);
        channel.runPendingTasks();
        assertTrue(channel.config().isAutoRead(), "400 bytes left, under half");
        assertFalse(channel.finishAndReleaseAll());
    }

    /**
     * Issue 9: reading stayed paused on an empty inbox when the receiver drained it and resumed between the I/O
     * thread's decision to pause and its {@code setAutoRead(false)}. Here the receiver drains at exactly that point.
     */
    @Test
    void issue9AReceiverThatDrainsWhileTheLoopPausesLeavesReadingOn() throws Exception {
        Runnable[] beforePause = new Runnable[1];
        EmbeddedChannel channel = new PauseHookChannel(beforePause);
        Inbox<String> inbox = attached(new Inbox<>(4, Long.MAX_VALUE, channel.eventLoop()), channel);
        List<Object> taken = new ArrayList<>();
        beforePause[0] = () -> {
            for (Object m; (m = inbox.pollNow()) != null; ) {
                taken.add(m);
            }
        };
        read(inbox, "m0", "m1", "m2", "m3");
        assertEquals(List.of("m0", "m1", "m2", "m3"), taken, "the receiver took every message mid-pause");
        channel.runPendingTasks();
        assertTrue(channel.config().isAutoRead(), "the inbox is empty, so reading must go on");
        assertFalse(channel.finishAndReleaseAll());
    }

    /** The other order: the receiver drains after the pause, and its request to resume runs on the loop. */
    @Test
    void aReceiverThatDrainsAfterThePauseResumesReadingThroughTheLoop() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(4, Long.MAX_VALUE, channel.eventLoop()), channel);
        read(inbox, "m0", "m1", "m2", "m3");
        assertFalse(channel.config().isAutoRead());
        for (int i = 0; i < 4; i++) {
            assertEquals("m" + i, inbox.pollNow());
        }
        assertFalse(channel.config().isAutoRead(), "a receiver never touches the channel itself");
        read(inbox, "m4"); // a read already under way when the pause took effect
        channel.runPendingTasks();
        assertTrue(channel.config().isAutoRead(), "one message left: under half");
        assertEquals("m4", inbox.pollNow());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aChannelAttachedWhileFullStartsPaused() throws Exception {
        EmbeddedChannel lost = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(2, Long.MAX_VALUE, lost.eventLoop()), lost);
        read(inbox, "a", "b");
        EmbeddedChannel reconnected = new EmbeddedChannel();
        inbox.attach(reconnected);
        assertFalse(reconnected.config().isAutoRead(), "the inbox is still full");
        assertEquals("a", inbox.pollNow());
        assertEquals("b", inbox.pollNow());
        lost.runPendingTasks(); // the resume runs on the connection's loop, for whichever channel is attached now
        assertTrue(reconnected.config().isAutoRead());
        assertFalse(lost.finishAndReleaseAll());
        assertFalse(reconnected.finishAndReleaseAll());
    }

    @Test
    void endWakesEveryReceiverAfterTheLastMessage() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(4, Long.MAX_VALUE, channel.eventLoop()), channel);
        inbox.add("last"); // read but not yet handed over: the end hands it over first
        inbox.end();
        assertEquals("last", inbox.poll(TimeUnit.SECONDS.toNanos(5)));
        long start = System.nanoTime();
        assertTrue(Inbox.isEnd(inbox.poll(TimeUnit.SECONDS.toNanos(30))));
        assertTrue(Inbox.isEnd(inbox.poll(TimeUnit.SECONDS.toNanos(30))));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "returned at once, not on timeout");
        assertTrue(inbox.endedAndDrained());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aWaitingReceiverWakesWhenAReadIsHandedOver() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(4, Long.MAX_VALUE, channel.eventLoop()), channel);
        CountDownLatch waiting = new CountDownLatch(1);
        Object[] got = new Object[1];
        Thread receiver = new Thread(() -> {
            waiting.countDown();
            try {
                got[0] = inbox.poll(TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        read(inbox, "hello");
        receiver.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(receiver.isAlive(), "woken by the hand-over, not by its timeout");
        assertEquals("hello", got[0]);
        assertFalse(channel.finishAndReleaseAll());
    }

    /** Several receivers share one inbox: every message goes to exactly one of them, none is lost or repeated. */
    @Test
    void concurrentReceiversTakeEachMessageOnce() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        Inbox<String> inbox = attached(new Inbox<>(1 << 20, Long.MAX_VALUE, channel.eventLoop()), channel);
        int messages = 200_000;
        for (int i = 0; i < messages; i++) {
            inbox.add(Integer.toString(i));
            if (i % 100 == 99) {
                inbox.flush();
            }
        }
        inbox.end();
        boolean[] seen = new boolean[messages];
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> receivers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            Thread receiver = new Thread(() -> {
                Object m;
                while (!Inbox.isEnd(m = inbox.pollNow())) {
                    if (m != null) {
                        int i = Integer.parseInt((String) m);
                        synchronized (seen) {
                            if (seen[i]) {
                                duplicates.incrementAndGet();
                            }
                            seen[i] = true;
                        }
                    }
                }
            });
            receivers.add(receiver);
            receiver.start();
        }
        for (Thread receiver : receivers) {
            receiver.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(receiver.isAlive());
        }
        assertEquals(0, duplicates.get());
        for (int i = 0; i < messages; i++) {
            assertTrue(seen[i], "message " + i + " lost");
        }
        assertTrue(inbox.endedAndDrained());
        assertFalse(channel.finishAndReleaseAll());
    }

    private static <T> Inbox<T> attached(Inbox<T> inbox, EmbeddedChannel channel) {
        inbox.attach(channel);
        return inbox;
    }

    /** One socket read: its messages, then the read-complete that hands them over. */
    @SafeVarargs
    private static <T> void read(Inbox<T> inbox, T... messages) {
        for (T message : messages) {
            inbox.add(message);
        }
        inbox.flush();
    }

    /** A channel whose {@code setAutoRead(false)} first runs a step of the test's choosing: the receiver's turn. */
    private static final class PauseHookChannel extends EmbeddedChannel {
        private final ChannelConfig config;

        PauseHookChannel(Runnable[] beforePause) {
            config = new DefaultChannelConfig(this) {
                @Override
                public ChannelConfig setAutoRead(boolean autoRead) {
                    Runnable step = beforePause[0];
                    if (!autoRead && step != null) {
                        beforePause[0] = null;
                        step.run();
                    }
                    return super.setAutoRead(autoRead);
                }
            };
        }

        @Override
        public ChannelConfig config() {
            return config == null ? super.config() : config; // null while EmbeddedChannel's constructor runs
        }
    }
}
