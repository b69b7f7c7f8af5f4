/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs reconnect attempts without flooding: the first failure of an outage at WARN with its cause, repeats at
 * DEBUG, and again at WARN (with a count of what was quiet) once per quiet window. Used on one event loop.
 */
final class ReconnectLog {
    private static final Logger log = LoggerFactory.getLogger(ReconnectLog.class);
    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private boolean warned;
    private long lastWarnNanos;
    private int quiet;

    void retrying(String id, ClientException cause, int attempt, Duration delay, long nowNanos) {
        if (!warned || nowNanos - lastWarnNanos >= QUIET_NANOS) {
            log.warn(
                    "connection {}: {}; reconnect attempt {} in {} ms{}",
                    id,
                    cause.getMessage(),
                    attempt,
                    delay.toMillis(),
                    quiet == 0 ? "" : " (" + quiet + " more failures logged at DEBUG since the last warning)");
            warned = true;
            lastWarnNanos = nowNanos;
            quiet = 0;
        } else {
            quiet++;
            log.debug(
                    "connection {}: {}; reconnect attempt {} in {} ms",
                    id,
                    cause.getMessage(),
                    attempt,
                    delay.toMillis());
        }
    }

    /** The connection is stable again: the next failure starts a new outage. */
    void reset() {
        warned = false;
        quiet = 0;
    }
}
