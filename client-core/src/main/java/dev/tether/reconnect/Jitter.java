/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.reconnect;

/**
 * How an exponential backoff randomises its delays, so that many clients losing one server do not all come back
 * at the same instant.
 *
 * <p>Each constant says where the delay falls, with {@code d} the capped exponential delay for an attempt and
 * {@code p} the previous delay actually used.
 *
 * @since 0.1
 */
public enum Jitter {
    /** Exactly {@code d}: predictable, for tests and single clients. */
    NONE,
    /** Uniform in {@code [0, d]}: spreads clients the most; the default. */
    FULL,
    /** Uniform in {@code [d/2, d]}: never retries sooner than half the delay. */
    EQUAL,
    /** Uniform in {@code [initial, 3p]}, capped: grows from the previous delay rather than the attempt number. */
    DECORRELATED
}
