/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tether-examples.jar} command line: {@code java -jar tether-examples.jar COMMAND [options]}, where each
 * command is one example class that also runs on its own.
 */
@Command(
        name = "tether-examples",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Runnable examples of the Tether TCP client.",
            "Without --host and --port, each client command starts its own demo server on 127.0.0.1."
        },
        subcommands = {
            HelloExample.class,
            TailExample.class,
            ChatExample.class,
            StreamExample.class,
            ServerExample.class,
            HelpCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  java -jar tether-examples.jar hello",
            "  java -jar tether-examples.jar stream --messages 5000000",
            "  java -jar tether-examples.jar server feed --port 9000 &",
            "  java -jar tether-examples.jar tail --port 9000 | wc -l",
            "  java -jar tether-examples.jar server flaky --port 9300 &",
            "  java -jar tether-examples.jar tail --port 9300 --reconnect --idle-timeout 2s"
        })
public final class TetherExamples implements Runnable {
    @Spec
    private CommandSpec spec;

    /**
     * Runs the command named by the first argument and exits with its status: 0 success, 1 failure, 2 usage error.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(Cli.execute(new TetherExamples(), args));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: hello, tail, chat, stream or server");
    }
}
