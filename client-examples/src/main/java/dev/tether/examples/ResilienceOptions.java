/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.ClientConfig;
import dev.tether.idle.IdlePolicy;
import dev.tether.reconnect.ReconnectPolicy;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that keep a text client going when the server does not: {@code --reconnect}, {@code --idle-timeout},
 * {@code --heartbeat}, {@code --heartbeat-message} and {@code --on-connect}, and how they map onto the client's
 * settings ({@link #applyTo(ClientConfig.Builder)}).
 */
final class ResilienceOptions {
    /** What {@code --heartbeat} sends unless {@code --heartbeat-message} says otherwise. */
    static final String DEFAULT_HEARTBEAT = "PING";

    // the longest read timeout and heartbeat interval that IdlePolicy accepts
    private static final Duration LONGEST = Duration.ofDays(1);

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--reconnect",
            description = "Keep going: connect even if the server is not up yet, and reconnect whenever the "
                    + "connection is lost, with the client's default backoff (100 ms doubling to 30 s, no limit). "
                    + "Connects, losses and retries are reported on stderr. Ends with Ctrl-C.")
    private boolean reconnect;

    private Duration idleTimeout;

    private Duration heartbeat;

    @Option(
            names = "--heartbeat-message",
            paramLabel = "TEXT",
            description = "What --heartbeat sends (default: " + DEFAULT_HEARTBEAT + ").")
    private String heartbeatMessage;

    @Option(
            names = "--on-connect",
            paramLabel = "TEXT",
            description = "A line sent after every connect and reconnect, before anything else: a login, a "
                    + "subscription.")
    private String onConnect;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Declare the connection dead when nothing arrives for this long (500ms, 2s, 1m or "
                    + "ISO-8601 like PT2S); with --reconnect, a reconnect follows. Default: wait forever.")
    private void setIdleTimeout(Duration timeout) {
        this.idleTimeout = atMostADay("--idle-timeout", timeout);
    }

    @Option(
            names = "--heartbeat",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Send --heartbeat-message whenever nothing was sent for this long. Default: none.")
    private void setHeartbeat(Duration interval) {
        this.heartbeat = atMostADay("--heartbeat", interval);
    }

    /** Tells whether {@code --reconnect} was given. */
    boolean reconnect() {
        return reconnect;
    }

    /**
     * Throws a usage error (exit code 2) for options that contradict each other or the framing: a heartbeat
     * message without a heartbeat, or a line that holds a line break when each message ends at one.
     */
    void check(boolean lineFraming) {
        if (heartbeatMessage != null && heartbeat == null) {
            throw new ParameterException(spec.commandLine(), "--heartbeat-message needs --heartbeat");
        }
        if (lineFraming) {
            noLineBreak("--heartbeat-message", heartbeatMessage);
            noLineBreak("--on-connect", onConnect);
        }
    }

    /**
     * Applies the options to {@code builder}: the reconnect policy, the idle policy and the on-connect hook.
     *
     * @return {@code builder}
     */
    ClientConfig.Builder<String> applyTo(ClientConfig.Builder<String> builder) {
        // region resilience
        if (reconnect) {
            // keep the default policy (100 ms doubling to 30 s, full jitter, no limit), for the first connect too
            builder.retryInitialConnect(true);
        } else {
            builder.reconnect(ReconnectPolicy.disabled()); // the session ends when the server hangs up
        }
        IdlePolicy idle = IdlePolicy.disabled();
        if (idleTimeout != null) {
            idle = idle.withReadTimeout(idleTimeout); // silent this long: closed as dead, then reconnected
        }
        if (heartbeat != null) {
            String message = heartbeatMessage != null ? heartbeatMessage : DEFAULT_HEARTBEAT;
            idle = idle.withHeartbeat(heartbeat, () -> message); // whenever nothing was written for this long
        }
        builder.idle(idle);
        if (onConnect != null) {
            builder.onConnect(connection -> connection.send(onConnect)); // goes out before any other send
        }
        // endregion
        return builder;
    }

    private Duration atMostADay(String option, Duration value) {
        if (value.compareTo(LONGEST) > 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + option + "': " + value + " is longer than a day (PT24H)");
        }
        return value;
    }

    private void noLineBreak(String option, String text) {
        if (text != null && text.indexOf('\n') >= 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + option + "': a line break cannot be sent with --framing lines");
        }
    }
}
