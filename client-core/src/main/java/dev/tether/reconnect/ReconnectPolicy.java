/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.reconnect;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Decides how long to wait before the next connection attempt, or whether to stop trying.
 *
 * <p>Used after every failed attempt and after every lost connection. Immutable, so one instance can serve many
 * clients; each connection keeps its own attempt count and random source. The attempt count resets only after a
 * connection has stayed up for {@link #resetAfter()}, so a server that accepts and drops at once cannot defeat
 * the backoff.
 *
 * <pre>{@code
 * ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(30))   // the client's default
 *         .withJitter(Jitter.EQUAL)
 *         .withMaxAttempts(20);
 * ReconnectPolicy.fixed(Duration.ofSeconds(1));
 * ReconnectPolicy.disabled();
 * }</pre>
 *
 * @since 0.1
 */
public final class ReconnectPolicy {
    private static final Duration LONGEST = Duration.ofDays(1);
    private static final ReconnectPolicy DISABLED =
            new ReconnectPolicy(false, Duration.ZERO, Duration.ZERO, 1.0, Jitter.NONE, 0, Duration.ZERO, null);

    private final boolean enabled;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final Jitter jitter;
    private final int maxAttempts; // 0: unlimited
    private final Duration resetAfter;
    private final Long seed; // null: unseeded

    private ReconnectPolicy(
            boolean enabled,
            Duration initialDelay,
            Duration maxDelay,
            double multiplier,
            Jitter jitter,
            int maxAttempts,
            Duration resetAfter,
            Long seed) {
        this.enabled = enabled;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.maxAttempts = maxAttempts;
        this.resetAfter = resetAfter;
        this.seed = seed;
    }

    /**
     * Turns reconnecting off: a lost connection is closed for good, a failed connect fails.
     *
     * @return the policy
     */
    public static ReconnectPolicy disabled() {
        return DISABLED;
    }

    /**
     * Waits the same delay before every attempt, without jitter, forever (see {@link #withMaxAttempts(int)}).
     *
     * @param delay zero to one day
     * @return the policy
     * @throws IllegalArgumentException if {@code delay} is negative or over a day
     */
    public static ReconnectPolicy fixed(Duration delay) {
        nonNegative("fixed delay", delay);
        return new ReconnectPolicy(true, delay, delay, 1.0, Jitter.NONE, 0, defaultResetAfter(delay), null);
    }

    /**
     * Waits {@code initial}, then twice as long before each further attempt, up to {@code max}, with
     * {@link Jitter#FULL} and no limit on attempts. The client's default is {@code exponential(100 ms, 30 s)}.
     *
     * @param initial the delay before the first retry; more than zero
     * @param max the longest delay; at least {@code initial}, at most one day
     * @return the policy
     * @throws IllegalArgumentException if {@code initial} is not positive or {@code max} is below it
     */
    public static ReconnectPolicy exponential(Duration initial, Duration max) {
        nonNegative("exponential initialDelay", initial);
        if (initial.isZero()) {
            throw new IllegalArgumentException("exponential initialDelay must be > 0, was PT0S");
        }
        nonNegative("exponential maxDelay", max);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "exponential maxDelay (" + max + ") must be >= initialDelay (" + initial + ")");
        }
        return new ReconnectPolicy(true, initial, max, 2.0, Jitter.FULL, 0, defaultResetAfter(max), null);
    }

    /**
     * Returns a copy that multiplies the delay by {@code multiplier} after each attempt. Default: 2.
     *
     * @param multiplier at least 1 (1 keeps the delay constant)
     * @return the new policy
     * @throws IllegalArgumentException if below 1, infinite or NaN
     * @throws IllegalStateException on {@link #disabled()}
     */
    public ReconnectPolicy withMultiplier(double multiplier) {
        requireEnabled("withMultiplier");
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts, resetAfter, seed);
    }

    /**
     * Returns a copy with another jitter. Default: {@link Jitter#FULL} for exponential, {@link Jitter#NONE} for
     * fixed.
     *
     * @param jitter the jitter
     * @return the new policy
     * @throws IllegalStateException on {@link #disabled()}
     */
    public ReconnectPolicy withJitter(Jitter jitter) {
        requireEnabled("withJitter");
        Objects.requireNonNull(jitter, "jitter");
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts, resetAfter, seed);
    }

    /**
     * Returns a copy that makes at most {@code maxAttempts} reconnect attempts in a row, then gives up. Default:
     * unlimited.
     *
     * <p>Reconnect attempts are retries: they follow a failed connect or a lost connection. A server that stays
     * down therefore sees {@code maxAttempts + 1} connect attempts, the one that failed first included, and the
     * {@link dev.tether.GaveUpEvent} counts them all.
     *
     * @param maxAttempts at least 1
     * @return the new policy
     * @throws IllegalArgumentException if below 1
     * @throws IllegalStateException on {@link #disabled()}
     */
    public ReconnectPolicy withMaxAttempts(int maxAttempts) {
        requireEnabled("withMaxAttempts");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts, resetAfter, seed);
    }

    /**
     * Returns a copy whose attempt count resets once a connection has stayed up this long. Default: the larger of
     * the longest delay and 5 seconds.
     *
     * @param stable zero or more; zero resets on every successful connect, which lets a flapping server defeat
     *     the backoff
     * @return the new policy
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException on {@link #disabled()}
     */
    public ReconnectPolicy withResetAfter(Duration stable) {
        requireEnabled("withResetAfter");
        nonNegative("resetAfter", stable);
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts, stable, seed);
    }

    /**
     * Returns a copy whose jitter draws from a random source seeded with {@code seed}, so every connection sees the
     * same sequence of delays: for tests and reproducible simulations. Default: unseeded.
     *
     * @param seed the seed
     * @return the new policy
     * @throws IllegalStateException on {@link #disabled()}
     */
    public ReconnectPolicy withSeed(long seed) {
        requireEnabled("withSeed");
        return new ReconnectPolicy(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts, resetAfter, seed);
    }

    /**
     * Returns the delay before attempt {@code attempt}, or empty to give up.
     *
     * <p>Attempts count from 1: attempt 1 is the first retry after a failure or a loss. The exponential delay is
     * {@code min(max, initial * multiplier^(attempt-1))}, then jittered. Called on the client's I/O thread.
     *
     * @param attempt the attempt about to be made, from 1
     * @param previousDelay the delay used before the previous attempt, or zero for the first; used by
     *     {@link Jitter#DECORRELATED}
     * @param random the connection's random source
     * @return the delay, or empty if the policy gives up
     * @throws IllegalArgumentException if {@code attempt} is below 1
     */
    public Optional<Duration> nextDelay(int attempt, Duration previousDelay, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1, was " + attempt);
        }
        if (!enabled || (maxAttempts > 0 && attempt > maxAttempts)) {
            return Optional.empty();
        }
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        double exact = initial * Math.pow(multiplier, attempt - 1.0);
        long capped = exact >= max ? max : (long) exact;
        long nanos = switch (jitter) {
            case NONE -> capped;
            case FULL -> random.nextLong(capped + 1);
            case EQUAL -> capped / 2 + random.nextLong(capped - capped / 2 + 1);
            case DECORRELATED -> {
                long upper = Math.min(max, Math.max(initial, 3 * previousDelay.toNanos()));
                yield upper <= initial ? initial : initial + random.nextLong(upper - initial + 1);
            }
        };
        return Optional.of(Duration.ofNanos(nanos));
    }

    /**
     * Tells whether this policy ever reconnects; false only for {@link #disabled()}.
     *
     * @return {@code true} unless this is {@link #disabled()}
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Returns the delay before the first retry.
     *
     * @return the initial delay
     */
    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * Returns the longest delay.
     *
     * @return the maximum delay
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * Returns the factor between one delay and the next.
     *
     * @return the multiplier, at least 1
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * Returns how delays are randomised.
     *
     * @return the jitter
     */
    public Jitter jitter() {
        return jitter;
    }

    /**
     * Returns how many reconnect attempts in a row may fail before the policy gives up; 0 means unlimited.
     *
     * @return the limit, or 0
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns how long a connection must stay up before the attempt count resets.
     *
     * @return the stable period
     */
    public Duration resetAfter() {
        return resetAfter;
    }

    /**
     * Returns the seed of the random source, if one was set.
     *
     * @return the seed, or empty
     */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReconnectPolicy other
                && enabled == other.enabled
                && Double.compare(multiplier, other.multiplier) == 0
                && maxAttempts == other.maxAttempts
                && initialDelay.equals(other.initialDelay)
                && maxDelay.equals(other.maxDelay)
                && jitter == other.jitter
                && resetAfter.equals(other.resetAfter)
                && Objects.equals(seed, other.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, initialDelay, maxDelay, multiplier, jitter, maxAttempts, resetAfter, seed);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "ReconnectPolicy{disabled}";
        }
        return "ReconnectPolicy{" + initialDelay + " -> " + maxDelay + ", x" + multiplier + ", jitter=" + jitter
                + ", maxAttempts=" + (maxAttempts == 0 ? "unlimited" : maxAttempts) + ", resetAfter=" + resetAfter
                + (seed == null ? "" : ", seed=" + seed) + "}";
    }

    private void requireEnabled(String method) {
        if (!enabled) {
            throw new IllegalStateException(method + " does not apply to ReconnectPolicy.disabled()");
        }
    }

    private static Duration defaultResetAfter(Duration longestDelay) {
        Duration floor = Duration.ofSeconds(5);
        return longestDelay.compareTo(floor) > 0 ? longestDelay : floor;
    }

    private static void nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        if (value.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(name + " must be <= " + LONGEST + ", was " + value);
        }
    }
}
