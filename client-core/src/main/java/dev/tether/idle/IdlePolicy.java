/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.idle;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What to do when a connection goes quiet: declare it dead after a silent read period, send a heartbeat after a
 * quiet write period, and close it when a frame starts but never finishes.
 *
 * <p>A connection declared dead is closed with an {@link dev.tether.IdleTimeoutException}, and the reconnect policy
 * takes over. Combine a heartbeat with a read timeout against a server that answers heartbeats: a frozen server
 * process, whose kernel still acknowledges bytes, is then detected by the missing answers. Immutable.
 *
 * <pre>{@code
 * IdlePolicy.readTimeout(Duration.ofSeconds(30))
 *         .withHeartbeat(Duration.ofSeconds(10), () -> "PING")
 *         .withFrameTimeout(Duration.ofSeconds(5));
 * }</pre>
 *
 * @since 0.1
 */
public final class IdlePolicy {
    private static final IdlePolicy DISABLED = new IdlePolicy(Duration.ZERO, Duration.ZERO, null, Duration.ZERO);
    private static final Duration LONGEST = Duration.ofDays(1);

    private final Duration readTimeout;
    private final Duration heartbeatInterval;
    private final Supplier<?> heartbeatMessage; // String or byte[]; null when there is no heartbeat
    private final Duration frameTimeout;

    private IdlePolicy(Duration readTimeout, Duration heartbeatInterval, Supplier<?> message, Duration frameTimeout) {
        this.readTimeout = readTimeout;
        this.heartbeatInterval = heartbeatInterval;
        this.heartbeatMessage = message;
        this.frameTimeout = frameTimeout;
    }

    /**
     * No idle handling at all; the client's default.
     *
     * @return the policy
     */
    public static IdlePolicy disabled() {
        return DISABLED;
    }

    /**
     * Declares the connection dead when no byte arrives for {@code timeout}.
     *
     * @param timeout more than zero, at most a day
     * @return the policy
     * @throws IllegalArgumentException if out of range
     */
    public static IdlePolicy readTimeout(Duration timeout) {
        return DISABLED.withReadTimeout(timeout);
    }

    /**
     * Sends {@code message.get()} whenever nothing was written for {@code interval}.
     *
     * @param interval more than zero, at most a day
     * @param message makes the heartbeat text, called on the I/O thread; framed like any other send
     * @return the policy
     * @throws IllegalArgumentException if out of range
     */
    public static IdlePolicy heartbeat(Duration interval, Supplier<String> message) {
        return DISABLED.withHeartbeat(interval, message);
    }

    /**
     * Returns a copy that declares the connection dead when no byte arrives for {@code timeout}.
     *
     * @param timeout more than zero, at most a day
     * @return the new policy
     * @throws IllegalArgumentException if out of range
     */
    public IdlePolicy withReadTimeout(Duration timeout) {
        return new IdlePolicy(positive("readTimeout", timeout), heartbeatInterval, heartbeatMessage, frameTimeout);
    }

    /**
     * Returns a copy that sends a text heartbeat whenever nothing was written for {@code interval}.
     *
     * @param interval more than zero, at most a day
     * @param message makes the heartbeat text, called on the I/O thread; must not return {@code null}
     * @return the new policy
     * @throws IllegalArgumentException if out of range
     */
    public IdlePolicy withHeartbeat(Duration interval, Supplier<String> message) {
        return heartbeatOf(interval, message);
    }

    /**
     * Returns a copy that sends a binary heartbeat whenever nothing was written for {@code interval}; for clients
     * on the bytes codec.
     *
     * @param interval more than zero, at most a day
     * @param message makes the heartbeat bytes, called on the I/O thread; must not return {@code null}
     * @return the new policy
     * @throws IllegalArgumentException if out of range
     */
    public IdlePolicy withHeartbeatBytes(Duration interval, Supplier<byte[]> message) {
        return heartbeatOf(interval, message);
    }

    /**
     * Returns a copy that closes the connection when a frame has started arriving but is not complete within
     * {@code timeout}: a server dripping bytes keeps a read timeout happy but never delivers.
     *
     * @param timeout more than zero, at most a day
     * @return the new policy
     * @throws IllegalArgumentException if out of range
     */
    public IdlePolicy withFrameTimeout(Duration timeout) {
        return new IdlePolicy(readTimeout, heartbeatInterval, heartbeatMessage, positive("frameTimeout", timeout));
    }

    /**
     * Returns the read timeout; zero means none.
     *
     * @return the read timeout
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Returns the heartbeat interval; zero means no heartbeat.
     *
     * @return the interval
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * Returns what makes the heartbeat message ({@code String} or {@code byte[]}); empty when there is no heartbeat.
     *
     * @return the message supplier, or empty
     */
    public Optional<Supplier<?>> heartbeatMessage() {
        return Optional.ofNullable(heartbeatMessage);
    }

    /**
     * Returns the frame-progress timeout; zero means none.
     *
     * @return the frame timeout
     */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    /**
     * Tells whether any part of this policy is on.
     *
     * @return {@code false} only for a policy equal to {@link #disabled()}
     */
    public boolean isEnabled() {
        return !readTimeout.isZero() || !heartbeatInterval.isZero() || !frameTimeout.isZero();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdlePolicy other
                && readTimeout.equals(other.readTimeout)
                && heartbeatInterval.equals(other.heartbeatInterval)
                && Objects.equals(heartbeatMessage, other.heartbeatMessage)
                && frameTimeout.equals(other.frameTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(readTimeout, heartbeatInterval, heartbeatMessage, frameTimeout);
    }

    @Override
    public String toString() {
        if (!isEnabled()) {
            return "IdlePolicy{disabled}";
        }
        return "IdlePolicy{readTimeout=" + readTimeout + ", heartbeat=" + heartbeatInterval + ", frameTimeout="
                + frameTimeout + "}";
    }

    private IdlePolicy heartbeatOf(Duration interval, Supplier<?> message) {
        Objects.requireNonNull(message, "heartbeat message");
        return new IdlePolicy(readTimeout, positive("heartbeat interval", interval), message, frameTimeout);
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
        if (value.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(name + " must be <= " + LONGEST + ", was " + value);
        }
        return value;
    }
}
