/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ConnectFailedException;
import dev.tether.reconnect.Jitter;
import dev.tether.reconnect.ReconnectPolicy;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When and where to connect next, on frozen time, without a connection around it. */
class ReconnectorTest {
    private static final InetSocketAddress A = InetSocketAddress.createUnresolved("host-a", 1);
    private static final InetSocketAddress B = InetSocketAddress.createUnresolved("host-b", 2);
    private static final ConnectFailedException REFUSED = new ConnectFailedException("refused", null);

    private final EmbeddedChannel clock = new EmbeddedChannel();
    private final List<String> fired = new ArrayList<>();

    ReconnectorTest() {
        clock.freezeTime();
    }

    @AfterEach
    void tearDown() {
        clock.finishAndReleaseAll();
    }

    private Reconnector reconnector(ReconnectPolicy policy) {
        return new Reconnector("r#1", policy, List.of(A, B), clock.eventLoop());
    }

    @Test
    void attemptsRotateThroughTheEndpoints() {
        Reconnector r = reconnector(ReconnectPolicy.fixed(Duration.ofMillis(10)));
        assertEquals(A, r.nextEndpoint());
        assertEquals(B, r.peekEndpoint(), "peek does not move on");
        assertEquals(B, r.nextEndpoint());
        assertEquals(A, r.nextEndpoint());
    }

    @Test
    void theTimerRunsTheRetryAfterThePolicysDelayAndCancelDisarmsIt() {
        Reconnector r = reconnector(ReconnectPolicy.fixed(Duration.ofMillis(50)));
        assertEquals(Optional.of(Duration.ofMillis(50)), r.scheduleRetry(REFUSED, () -> fired.add("retry")));
        clock.advanceTimeBy(49, TimeUnit.MILLISECONDS);
        clock.runScheduledPendingTasks();
        assertEquals(List.of(), fired);
        clock.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        clock.runScheduledPendingTasks();
        assertEquals(List.of("retry"), fired);

        r.scheduleRetry(REFUSED, () -> fired.add("never"));
        r.cancel();
        clock.advanceTimeBy(1, TimeUnit.SECONDS);
        clock.runScheduledPendingTasks();
        assertEquals(List.of("retry"), fired);
    }

    @Test
    void oneCounterCountsTheRetriesOfAnOutageAndOnlyAStableLinkResetsIt() {
        Reconnector r = reconnector(ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(10))
                .withJitter(Jitter.NONE)
                .withResetAfter(Duration.ofSeconds(1)));
        assertEquals(0, r.attempt());
        assertEquals(Optional.of(Duration.ofMillis(100)), r.scheduleRetry(REFUSED, () -> {}));
        assertEquals(Optional.of(Duration.ofMillis(200)), r.scheduleRetry(REFUSED, () -> {}));
        assertEquals(2, r.attempt());

        r.linkUp();
        clock.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        r.linkDown(); // a short link: the outage goes on
        assertEquals(Optional.of(Duration.ofMillis(400)), r.scheduleRetry(REFUSED, () -> {}));
        assertEquals(3, r.attempt());

        r.linkUp();
        clock.advanceTimeBy(1, TimeUnit.SECONDS);
        r.linkDown(); // stable: a new outage
        assertEquals(0, r.attempt());
        assertEquals(Optional.of(Duration.ofMillis(100)), r.scheduleRetry(REFUSED, () -> {}));
        assertEquals(1, r.attempt());
    }

    @Test
    void givingUpArmsNothingAndTheSummaryCountsTheRetriesMade() {
        Reconnector r = reconnector(ReconnectPolicy.fixed(Duration.ofMillis(10)).withMaxAttempts(2));
        r.scheduleRetry(REFUSED, () -> {});
        r.scheduleRetry(REFUSED, () -> {});
        clock.advanceTimeBy(2500, TimeUnit.MILLISECONDS);

        assertEquals(Optional.empty(), r.scheduleRetry(REFUSED, () -> fired.add("too many")));
        assertEquals(2, r.attempt());
        String summary = r.gaveUp(REFUSED, "host-a:1");
        assertTrue(summary.startsWith("2 reconnect attempts in 2.5 s (last cause: refused)"), summary);
        r.cancel();
        clock.advanceTimeBy(1, TimeUnit.SECONDS);
        clock.runScheduledPendingTasks();
        assertEquals(List.of(), fired);
    }
}
