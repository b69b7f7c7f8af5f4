/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.time.Duration;
import java.util.Objects;

/**
 * TCP keepalive probes, so a peer that vanished without a FIN or RST (a crashed host, a cable pulled, a NAT entry
 * dropped) is detected in seconds instead of the kernel's default two hours.
 *
 * <p>After {@link #idle()} without traffic the kernel sends a probe every {@link #interval()}; after
 * {@link #probes()} unanswered probes the connection fails and the reconnect policy takes over. On the native epoll
 * and io_uring transports Tether also sets {@code TCP_USER_TIMEOUT} to {@link #deadAfter()}, so a link that
 * blackholes data already sent is cut after the same time (NIO has no such option). Keepalive does not see a peer
 * process that is frozen while its kernel still answers: use a read timeout in {@link dev.tether.idle.IdlePolicy}
 * for that. Immutable, so one instance can serve many clients.
 *
 * <pre>{@code
 * KeepAlive.of(Duration.ofSeconds(15), Duration.ofSeconds(5), 3)   // the default: dead after 30 s
 * KeepAlive.disabled()
 * }</pre>
 *
 * @since 0.1
 */
public final class KeepAlive {
    private static final KeepAlive DISABLED = new KeepAlive(Duration.ZERO, Duration.ZERO, 0);
    private static final Duration LONGEST = Duration.ofSeconds(32_767); // the kernel's limit for both settings

    private final Duration idle;
    private final Duration interval;
    private final int probes;

    private KeepAlive(Duration idle, Duration interval, int probes) {
        this.idle = idle;
        this.interval = interval;
        this.probes = probes;
    }

    /**
     * No keepalive probes: the operating system's default for the socket (usually off).
     *
     * @return the setting
     */
    public static KeepAlive disabled() {
        return DISABLED;
    }

    /**
     * Keepalive with the given timing; whole seconds, as the kernel counts them.
     *
     * @param idle quiet time before the first probe; 1 to 32,767 whole seconds
     * @param interval time between probes; 1 to 32,767 whole seconds
     * @param probes unanswered probes before the connection fails; 1 to 127
     * @return the setting
     * @throws IllegalArgumentException if out of range or not whole seconds
     */
    public static KeepAlive of(Duration idle, Duration interval, int probes) {
        seconds("keepAlive idle", idle);
        seconds("keepAlive interval", interval);
        if (probes < 1 || probes > 127) {
            throw new IllegalArgumentException("keepAlive probes must be in 1..127, was " + probes);
        }
        return new KeepAlive(idle, interval, probes);
    }

    /**
     * Returns the quiet time before the first probe; zero when disabled.
     *
     * @return the idle time
     */
    public Duration idle() {
        return idle;
    }

    /**
     * Returns the time between probes; zero when disabled.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * Returns how many unanswered probes fail the connection; zero when disabled.
     *
     * @return the probe count
     */
    public int probes() {
        return probes;
    }

    /**
     * Returns how long a dead peer can go unnoticed: {@code idle + interval * probes}.
     *
     * @return the detection time; zero when disabled
     */
    public Duration deadAfter() {
        return idle.plus(interval.multipliedBy(probes));
    }

    /**
     * Tells whether probes are sent.
     *
     * @return {@code false} for {@link #disabled()}
     */
    public boolean isEnabled() {
        return probes > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeepAlive other
                && probes == other.probes
                && idle.equals(other.idle)
                && interval.equals(other.interval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idle, interval, probes);
    }

    @Override
    public String toString() {
        return isEnabled()
                ? "KeepAlive{idle=" + idle + ", interval=" + interval + ", probes=" + probes + "}"
                : "KeepAlive{disabled}";
    }

    private static void seconds(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(LONGEST) > 0 || value.getNano() != 0) {
            throw new IllegalArgumentException(name + " must be whole seconds in 1..32767, was " + value);
        }
    }
}
