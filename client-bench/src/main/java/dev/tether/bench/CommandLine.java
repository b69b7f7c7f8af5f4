/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** What the benchmark runners' command lines share: option values checked the same way, and the same exit on error. */
final class CommandLine {
    private CommandLine() {}

    /** Parses an option's whole number above 0; {@code usage} turns a problem into the runner's error message. */
    static int positive(String option, String value, UnaryOperator<String> usage) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(usage.apply(option + " takes a whole number above 0, not '" + value + "'"));
    }

    /** Parses a comma-separated list of client names, each one of {@code known}. */
    static List<String> clients(String value, List<String> known, UnaryOperator<String> usage) {
        List<String> chosen = Arrays.stream(value.split(",")).map(String::strip).toList();
        for (String name : chosen) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(usage.apply("unknown client '" + name + "'; known: " + known));
            }
        }
        return chosen;
    }

    /**
     * Runs Netty's io_uring with one-shot polls, which Tether requires of it (see {@code Transport.IO_URING}), unless
     * the JVM was started with that setting: what an application that wants io_uring does. First thing in a runner's
     * {@code main}, before any io_uring class of Netty's loads and reads it.
     */
    static void oneShotIoUringPolls() {
        if (System.getProperty("io.netty.iouring.pollAddMultishotEnabled") == null) {
            System.setProperty("io.netty.iouring.pollAddMultishotEnabled", "false");
        }
    }

    /** Returns the parsed options, or prints the problem on stderr and exits with status 2. */
    static <O> O parseOrExit(Supplier<O> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }
}
