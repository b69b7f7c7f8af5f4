/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.ClientException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * What the example commands share: how they run, how they report a failure, and how they print fast.
 *
 * <p>Exit codes: 0 for success, 1 for a failure at run time (printed as one line, {@code error: ...}, on stderr), 2
 * for a usage error (printed with the usage help by picocli).
 */
final class Cli {
    private static final int STDOUT_BUFFER_BYTES = 64 * 1024;

    private Cli() {}

    /**
     * Returns a command line for {@code command} that prints failures as one line and accepts enum values such as
     * {@code --framing lenpref} in any case.
     */
    static CommandLine commandLine(Object command) {
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Cli::reportFailure)
                .setParameterExceptionHandler(Cli::reportUsageError);
    }

    /** Runs {@code command} with {@code args} and returns its exit code; what {@code main} passes to System.exit. */
    static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /**
     * Throws a usage error (exit code 2) if {@code value} is not in {@code min..max}; picocli checks types, not
     * ranges.
     */
    static void checkRange(CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "Invalid value for option '%s': %d is not in %d..%d",
                            option,
                            value,
                            min,
                            max));
        }
    }

    /**
     * Returns standard output behind a 64 KiB buffer, for commands that print many lines: {@code System.out} flushes
     * at every line, which costs a system call each. Flush it when done.
     */
    static PrintStream bufferedStdout() {
        return new PrintStream(
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), STDOUT_BUFFER_BYTES),
                false,
                Charset.defaultCharset());
    }

    /** Whether {@code failure} is Tether's refusal of a setting, such as a missing certificate file: for people. */
    private static boolean isTethersArgumentCheck(Throwable failure) {
        StackTraceElement[] stack = failure.getStackTrace();
        return failure instanceof IllegalArgumentException
                && stack.length > 0
                && stack[0].getClassName().startsWith("dev.tether.")
                && !stack[0].getClassName().startsWith("dev.tether.examples.");
    }

    /** Describes a failure in one line: the message alone where it was written for people, else the type too. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        boolean readable = cause instanceof ClientException
                || cause instanceof IOException
                || cause instanceof ExampleException
                || isTethersArgumentCheck(cause);
        return readable && cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /**
     * Prints a usage error as its precise message and where to read more, not the whole usage text after it (up to 42
     * lines that push the message out of sight); exit code 2.
     */
    private static int reportUsageError(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        java.io.PrintWriter err = command.getErr();
        err.println(error.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(error, err)) {
            err.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int reportFailure(Exception failure, CommandLine commandLine, ParseResult parsed) {
        commandLine.getErr().println("error: " + describe(failure));
        commandLine.getErr().flush();
        return CommandLine.ExitCode.SOFTWARE;
    }
}
