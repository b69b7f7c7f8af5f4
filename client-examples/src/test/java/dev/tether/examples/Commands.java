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

    /** The outcome of {@link #execute(String...)}. */
    record Result(int exitCode, String out, String err) {}
}
