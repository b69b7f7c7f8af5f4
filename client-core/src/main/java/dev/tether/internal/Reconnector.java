/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientException;
import dev.tether.reconnect.ReconnectPolicy;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When to connect next, and where: endpoint rotation, the reconnect policy, the retry timer, the stable period after
 * which an outage is over, and the log lines of an outage.
 *
 * <p>One counter, {@link #attempt()}: the number of the latest reconnect attempt of the current outage, from 1, as
 * {@link ReconnectPolicy#nextDelay} counts; 0 before the first retry. It resets only when a link that stayed up for
 * the policy's {@code resetAfter} goes down, so a server that accepts and drops at once cannot defeat the backoff.
 *
 * <p>Threads: the connection's event loop only. Time is the loop's ticker, so a test can freeze and advance it.
 */
final class Reconnector {
    private static final Logger log = LoggerFactory.getLogger(Reconnector.class);
    /** After a WARN, further failures of the same outage go to DEBUG for this long. */
    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String id;
    private final ReconnectPolicy policy;
    private final List<InetSocketAddress> endpoints;
    private final EventLoop loop;

    private int nextEndpoint;
    private int attempt;
    private Duration previousDelay = Duration.ZERO;
    private long outageStartNanos;
    private long connectedAtNanos = Long.MIN_VALUE; // when the current link came up; MIN_VALUE while none is up
    private ScheduledFuture<?> retryTimer;
    private RandomGenerator random; // made on first retry: most connections never retry
    private boolean warned;
    private long lastWarnNanos;
    private int quiet; // failures logged at DEBUG since the last WARN

    Reconnector(String id, ReconnectPolicy policy, List<InetSocketAddress> endpoints, EventLoop loop) {
        this.id = id;
        this.policy = policy;
        this.endpoints = List.copyOf(endpoints);
        this.loop = loop;
    }

    /** Returns the endpoint to try now, and moves on to the next one for the attempt after it. */
    InetSocketAddress nextEndpoint() {
        retryTimer = null; // called by the attempt the timer started, if any
        return endpoints.get(nextEndpoint++ % endpoints.size());
    }

    /** The number of the latest reconnect attempt of this outage, from 1; 0 if none was made since it began. */
    int attempt() {
        return attempt;
    }

    /** A link is up: the stable period starts now. */
    void linkUp() {
        connectedAtNanos = loop.ticker().nanoTime();
    }

    /**
     * The link went down. If it had stayed up for the policy's stable period, the outage that follows starts
     * afresh: attempt count, backoff and logging reset. A shorter link changes nothing, so the next retry backs
     * off further.
     */
    void linkDown() {
        boolean stable = connectedAtNanos != Long.MIN_VALUE
                && loop.ticker().nanoTime() - connectedAtNanos
                        >= policy.resetAfter().toNanos();
        connectedAtNanos = Long.MIN_VALUE;
        if (stable) {
            attempt = 0;
            previousDelay = Duration.ZERO;
            warned = false;
            quiet = 0;
        }
    }

    /**
     * Asks the policy about the next reconnect attempt after {@code cause}, and arms the timer that runs {@code
     * retry} if it says when. Returns the delay, or empty if the policy gives up (then nothing is armed).
     */
    Optional<Duration> scheduleRetry(ClientException cause, Runnable retry) {
        long now = loop.ticker().nanoTime();
        if (attempt == 0) {
            outageStartNanos = now;
        }
        if (random == null) {
            random = policy.seed().isPresent()
                    ? new SplittableRandom(policy.seed().getAsLong())
                    : new SplittableRandom();
        }
        Optional<Duration> delay = policy.nextDelay(attempt + 1, previousDelay, random);
        if (delay.isEmpty()) {
            return delay;
        }
        attempt++;
        previousDelay = delay.get();
        logRetry(cause, delay.get(), now);
        retryTimer = loop.schedule(retry, delay.get().toNanos(), TimeUnit.NANOSECONDS);
        return delay;
    }

    /** Returns the endpoint the next attempt will try, without moving on. */
    InetSocketAddress peekEndpoint() {
        return endpoints.get(nextEndpoint % endpoints.size());
    }

    /** Disarms the retry timer, if armed: no attempt follows. */
    void cancel() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    /**
     * The policy gave up: logs it at WARN and returns the summary for messages, such as {@code "4 reconnect
     * attempts in 2.3 s (last cause: ...)"}.
     */
    String gaveUp(ClientException last, String target) {
        String took = String.format(Locale.ROOT, "%.1f s", (loop.ticker().nanoTime() - outageStartNanos) / 1e9);
        String summary = attempt + " reconnect attempt" + (attempt == 1 ? "" : "s") + " in " + took + " (last cause: "
                + last.getMessage() + ")";
        log.warn("connection {}: gave up reconnecting to {} after {}", id, target, summary);
        return summary;
    }

    /** The first failure of an outage at WARN, then one WARN a minute with a count of those logged at DEBUG. */
    private void logRetry(ClientException cause, Duration delay, long now) {
        if (!warned || now - lastWarnNanos >= QUIET_NANOS) {
            log.warn(
                    "{}; reconnect attempt {} in {} ms{}",
                    named(cause),
                    attempt,
                    delay.toMillis(),
                    quiet == 0 ? "" : " (" + quiet + " more failures logged at DEBUG since the last warning)");
            warned = true;
            lastWarnNanos = now;
            quiet = 0;
        } else {
            quiet++;
            log.debug("{}; reconnect attempt {} in {} ms", named(cause), attempt, delay.toMillis());
        }
    }

    /** The cause's message, with this connection's name in front unless it already starts with it: one prefix. */
    private String named(ClientException cause) {
        String message = cause.getMessage();
        return message.startsWith("connection " + id + " ") ? message : "connection " + id + ": " + message;
    }
}
