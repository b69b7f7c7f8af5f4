/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

/**
 * Walks the options of the example's commands: {@code --name value} or {@code --name=value}, in order. Mistakes are
 * {@link IllegalArgumentException}s whose message names the option.
 */
final class Args {
    private final String[] args;
    private int index = -1;
    private String name;
    private String inline; // the value after '=', or null

    Args(String[] args) {
        this.args = args;
    }

    /** Moves to the next option; false when there is none. */
    boolean next() {
        if (++index >= args.length) {
            return false;
        }
        String arg = args[index];
        int eq = arg.indexOf('=');
        boolean hasInline = arg.startsWith("--") && eq > 0;
        name = hasInline ? arg.substring(0, eq) : arg;
        inline = hasInline ? arg.substring(eq + 1) : null;
        return true;
    }

    /** The current option's name, such as {@code --reps}. */
    String name() {
        return name;
    }

    /** The current option's value: after its '=', else the next argument, which it then consumes. */
    String value() {
        if (inline != null) {
            return inline;
        }
        if (++index >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[index];
    }

    /** The current option's value as a whole number from {@code min} to {@code max}; '_' may group digits. */
    long number(long min, long max) {
        String text = value();
        long n;
        try {
            n = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was " + text, e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", was " + text);
        }
        return n;
    }

    /** The error for an option the command does not know. */
    IllegalArgumentException unknown() {
        return new IllegalArgumentException("unknown option " + args[index]);
    }
}
