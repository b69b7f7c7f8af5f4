/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Runs example commands in-process, as {@code tether-examples.jar} would but without System.exit. */
final class Commands {
    private Commands() {}

    /** Parses {@code args} into {@code command}'s options, as the jar does, and returns the command to run. */
    static <T> T parse(T command, String... args) {
        Cli.commandLine(command).parseArgs(args);
        return command;
    }

    /**
     * Runs {@code tether-examples.jar args} and returns the exit code with what picocli printed: usage help, errors.
     * What a command prints itself goes to the real stdout.
     */
    static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Cli.commandLine(new TetherExamples())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Returns a loopback port that nothing listens on: one the system just handed out and took back. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts {@code body} (a command's run) on a thread of its own named {@code name}; interrupting that thread is
     * a test's Ctrl-C.
     */
    static Background start(String name, Callable<Integer> body) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        exit.complete(body.call());
                    } catch (Throwable e) {
                        exit.completeExceptionally(e);
                    }
                },
                name);
        thread.start();
        return new Background(thread, exit);
    }

    /** A command running on its own thread: the thread, and its exit code once it ends. */
    record Background(Thread thread, CompletableFuture<Integer> exit) {
        /** Interrupts the command, as Ctrl-C would, and waits up to {@code timeout} for its thread to end. */
        void stop(Duration timeout) throws InterruptedException {
            thread.interrupt();
            thread.join(timeout.toMillis());
        }
    }

    /** The outcome of {@link #execute(String...)}. */
    record Result(int exitCode, String out, String err) {}
}
