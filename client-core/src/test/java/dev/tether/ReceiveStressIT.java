/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.Resources;
import dev.tether.testing.TransportsHere;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: the pull styles over a fast feed, many times on every transport here, with the inbox a newcomer had when
 * the stall was found (1,024 messages; 512-byte lines, so a socket read of 256 KiB brings about 500): reading pauses and
 * resumes hundreds of times a run, and a lost resume (reading left paused on an empty inbox) shows up as a run that
 * stalls. Before the fix, when the receiving thread resumed reading itself, this failed on every transport: 5 of
 * its 9 cases stalled and 2 timed out in one run.
 */
class ReceiveStressIT {
    private static final int LINES = 200_000;
    private static final int LINE_BYTES = 512;
    private static final int RUNS = 10;
    /** Longer than any run takes here; a run still waiting after it has stalled. */
    private static final Duration STALL = Duration.ofSeconds(15);

    /** The whole feed, then a clean close; one script for every run, so the feed is built and copied once. */
    private static final Script FEED = Script.create().send(feed()).close();

    private final Resources resources = new Resources();

    @AfterEach
    void tearDown() throws Exception {
        resources.closeAll();
    }

    enum Style {
        RECEIVE,
        /** {@code receive(Duration.ZERO)} in a busy loop: takes each message the moment it lands. */
        POLL,
        RECEIVE_MANY,
        PUBLISHER
    }

    static Stream<Arguments> runs() {
        return TransportsHere.all()
                .flatMap(transport -> Stream.of(Style.values()).map(style -> Arguments.of(transport, style)));
    }

    @ParameterizedTest(name = "issue 9: {1} over {0} never stalls")
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    @MethodSource("runs")
    void theReceiveLoopGetsEveryMessageOfAFastFeedEveryTime(Transport transport, Style style) throws Exception {
        for (int run = 0; run < RUNS; run++) {
            try (ScriptedServer server = ScriptedServer.start(FEED)) {
                TetherClient<String> client = resources.track(TetherClient.create(ClientConfig.builder()
                        .remoteAddress("127.0.0.1", server.port())
                        .name(resources.clientName("stress"))
                        .eventLoops(1, transport)
                        .framing(Framing.lines(1024))
                        .inboxCapacity(1024)
                        .reconnect(ReconnectPolicy.disabled())
                        .build()));
                Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
                String where = style + " over " + transport + ", run " + run;
                long received = switch (style) {
                    case RECEIVE -> receiveOneByOne(connection, where);
                    case POLL -> poll(connection, where);
                    case RECEIVE_MANY -> receiveMany(connection, where);
                    case PUBLISHER -> subscribe(connection, where);
                };
                assertEquals(LINES, received, where);
                client.close();
            }
        }
    }

    private static long receiveOneByOne(Connection<String> connection, String where) throws InterruptedException {
        long next = 0;
        while (true) {
            String line = connection.receive(STALL).orElse(null);
            if (line == null) {
                checkEnded(connection, next, where);
                return next;
            }
            check(line, next++, where);
        }
    }

    private static long poll(Connection<String> connection, String where) throws InterruptedException {
        long next = 0;
        long lastArrival = System.nanoTime();
        while (true) {
            boolean closed = !connection.isOpen(); // once closed, every message is in the inbox already
            String line = connection.receive(Duration.ZERO).orElse(null);
            if (line != null) {
                check(line, next++, where);
                lastArrival = System.nanoTime();
            } else if (closed) {
                return next;
            } else if (System.nanoTime() - lastArrival > STALL.toNanos()) {
                checkEnded(connection, next, where);
            }
        }
    }

    private static long receiveMany(Connection<String> connection, String where) throws InterruptedException {
        long next = 0;
        while (true) {
            List<String> lines = connection.receive(100, STALL);
            if (lines.isEmpty()) {
                checkEnded(connection, next, where);
                return next;
            }
            assertTrue(lines.size() <= 100, where + ": " + lines.size() + " lines for max 100");
            for (String line : lines) {
                check(line, next++, where);
            }
        }
    }

    private static long subscribe(Connection<String> connection, String where) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        long[] next = {0};
        connection.messages().subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;
            private int left;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                left = 16;
                subscription.request(16);
            }

            @Override
            public void onNext(String line) {
                try {
                    check(line, next[0]++, where);
                } catch (AssertionError e) {
                    done.completeExceptionally(e);
                    subscription.cancel();
                    return;
                }
                if (--left == 0) {
                    left = 16;
                    subscription.request(16);
                }
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(next[0]);
            }
        });
        try {
            return done.get(STALL.toSeconds() * 4, TimeUnit.SECONDS);
        } catch (TimeoutException stalled) {
            return fail(
                    where + ": stalled after " + next[0] + " of " + LINES + " lines, connection " + connection.state());
        }
    }

    private static void checkEnded(Connection<?> connection, long received, String where) {
        if (connection.isOpen()) {
            fail(where + ": stalled after " + received + " of " + LINES + " lines: nothing for " + STALL
                    + " while the connection is open");
        }
    }

    private static void check(String line, long expected, String where) {
        if (!line.startsWith(number(expected))) {
            fail(where + ": line " + expected + " expected, got \"" + line.substring(0, Math.min(20, line.length()))
                    + "\"");
        }
    }

    private static String number(long i) {
        return String.format(Locale.ROOT, "%08d ", i);
    }

    private static byte[] feed() {
        StringBuilder out = new StringBuilder(LINES * LINE_BYTES);
        String padding = "x".repeat(LINE_BYTES - 10);
        for (int i = 0; i < LINES; i++) {
            out.append(number(i)).append(padding).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
