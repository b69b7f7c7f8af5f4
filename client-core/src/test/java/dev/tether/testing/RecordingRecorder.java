/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import dev.tether.Connection;
import dev.tether.MetricsRecorder;
import dev.tether.TetherClient;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link MetricsRecorder} that writes down every call, in order, as short words: {@code created <open
 * connections>}, {@code start <client> <connection id> <port>}, each phase's tag, {@code succeeded}, {@code failed
 * <error's simple class name>}, {@code closed <open connections>}.
 */
public final class RecordingRecorder implements MetricsRecorder {
    /** What was heard, in order; safe to read from the test's thread. */
    public final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void clientCreated(TetherClient<?> client) {
        heard.add("created " + client.stats().openConnections());
    }

    @Override
    public void clientClosed(TetherClient<?> client) {
        heard.add("closed " + client.stats().openConnections());
    }

    @Override
    public ConnectAttempt connectStarted(String client, Connection<?> connection, InetSocketAddress endpoint) {
        heard.add("start " + client + " " + connection.id() + " " + endpoint.getPort());
        return new ConnectAttempt() {
            @Override
            public void phase(Phase phase) {
                heard.add(phase.tag());
            }

            @Override
            public void succeeded() {
                heard.add("succeeded");
            }

            @Override
            public void failed(Throwable error) {
                heard.add("failed " + error.getClass().getSimpleName());
            }
        };
    }

    /** What was heard, with each {@code start ...} shortened to {@code start}. */
    public List<String> words() {
        return heard.stream().map(h -> h.startsWith("start ") ? "start" : h).toList();
    }
}
