/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.Connection;
import dev.tether.MetricsRecorder;
import dev.tether.TetherClient;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's {@link MetricsRecorder} behind a guard: the first exception it throws about a connect attempt is logged at
 * WARN, and from then on no attempt is reported to it, so a broken metrics library costs one log line, never a
 * connection. A client's creation and close are always reported (an exception there is logged), so that a recorder
 * that keeps clients, to read their stats, is always told to let them go.
 */
final class GuardedRecorder implements MetricsRecorder {
    private static final Logger log = LoggerFactory.getLogger(GuardedRecorder.class);

    private final MetricsRecorder recorder;
    private final String clientName;
    private final AtomicBoolean broken = new AtomicBoolean();

    private GuardedRecorder(MetricsRecorder recorder, String clientName) {
        this.recorder = recorder;
        this.clientName = clientName;
    }

    /** Returns {@code recorder} guarded; {@link MetricsRecorder#NONE} as it is, it cannot throw. */
    static MetricsRecorder guard(MetricsRecorder recorder, String clientName) {
        return recorder == MetricsRecorder.NONE ? recorder : new GuardedRecorder(recorder, clientName);
    }

    @Override
    public void clientCreated(TetherClient<?> client) {
        always("clientCreated", () -> recorder.clientCreated(client));
    }

    @Override
    public void clientClosed(TetherClient<?> client) {
        always("clientClosed", () -> recorder.clientClosed(client));
    }

    private void always(String method, Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            log.warn(
                    "client {}: metrics recorder {} threw in {}",
                    clientName,
                    recorder.getClass().getName(),
                    method,
                    t);
        }
    }

    @Override
    public ConnectAttempt connectStarted(String clientName, Connection<?> connection, InetSocketAddress endpoint) {
        ConnectAttempt[] attempt = {ConnectAttempt.NONE};
        run("connectStarted", () -> attempt[0] = recorder.connectStarted(clientName, connection, endpoint));
        ConnectAttempt inner = attempt[0];
        if (inner == null || inner == ConnectAttempt.NONE) {
            return ConnectAttempt.NONE;
        }
        return new ConnectAttempt() {
            @Override
            public void phase(Phase phase) {
                run("ConnectAttempt.phase", () -> inner.phase(phase));
            }

            @Override
            public void succeeded() {
                run("ConnectAttempt.succeeded", inner::succeeded);
            }

            @Override
            public void failed(Throwable error) {
                run("ConnectAttempt.failed", () -> inner.failed(error));
            }
        };
    }

    private void run(String method, Runnable call) {
        if (broken.get()) {
            return;
        }
        try {
            call.run();
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            if (broken.compareAndSet(false, true)) {
                log.warn(
                        "client {}: metrics recorder {} threw in {}; it is not called again",
                        clientName,
                        recorder.getClass().getName(),
                        method,
                        t);
            }
        }
    }

    @Override
    public String toString() {
        return recorder.toString();
    }
}
