/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.TetherClient;
import java.io.Flushable;
import java.io.IOException;

/**
 * Closes a client when the JVM is asked to stop (Ctrl-C, {@code kill}), then flushes what the example printed and
 * stops its metrics endpoint: a command that runs until Ctrl-C ends cleanly, its connection closed and no buffered
 * line lost.
 *
 * <p>The JVM halts once its shutdown hooks return, whatever the main thread is doing, so the hook does the flushing
 * itself. {@link #close()} removes the hook once the command is done by other means.
 *
 * <pre>{@code
 * try (TetherClient<String> client = TetherClient.create(config);
 *         CloseOnShutdown hook = CloseOnShutdown.install(client, out, metrics)) {
 *     client.connect().get().closeFuture().get(); // Ctrl-C closes the client, which ends this wait
 * }
 * }</pre>
 */
final class CloseOnShutdown implements AutoCloseable {
    private final Thread hook;

    private CloseOnShutdown(Thread hook) {
        this.hook = hook;
    }

    /** Registers a shutdown hook that closes {@code client}, then flushes {@code out} and closes {@code metrics}. */
    static CloseOnShutdown install(TetherClient<?> client, Flushable out, MetricsEndpoint metrics) {
        Thread hook = new Thread(
                () -> {
                    try {
                        client.close(); // bounded by the client's close timeout
                        out.flush();
                        metrics.close();
                    } catch (IOException | RuntimeException e) {
                        // the JVM is stopping and stderr may be gone: nothing useful is left to do with it
                    }
                },
                "close-on-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return new CloseOnShutdown(hook);
    }

    /** Removes the hook; does nothing once the JVM is stopping, when the hook runs or has run. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // "Shutdown in progress": the hook is the one closing the client
        }
    }
}
