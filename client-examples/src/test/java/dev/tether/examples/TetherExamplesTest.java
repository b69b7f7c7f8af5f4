/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.Commands.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line itself: help, version and usage errors. Nothing here opens a socket. */
class TetherExamplesTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "tail", "chat", "stream", "server"})
    void helpExitsZero(String command) {
        List<String> args = new ArrayList<>();
        if (!command.isEmpty()) {
            args.add(command);
        }
        args.add("--help");

        Result result = Commands.execute(args.toArray(String[]::new));

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("Usage: tether-examples " + command), result.out());
        assertEquals("", result.err());
    }

    @Test
    void versionExitsZero() {
        Result result = Commands.execute("--version");

        assertEquals(0, result.exitCode());
        assertTrue(result.out().startsWith("Tether examples "), result.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result result = Commands.execute("hello", "--nope");

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Unknown option: '--nope'"), result.err());
    }

    @Test
    void aUsageErrorIsItsMessageAndWhereToReadMoreNotTheWholeUsage() {
        Result result = Commands.execute("hello", "--port", "70000");

        assertEquals(2, result.exitCode());
        assertEquals(
                List.of(
                        "Invalid value for option '--port': 70000 is not in 1..65535",
                        "See 'tether-examples hello --help'."),
                result.err().lines().toList());
    }

    @Test
    void aBlankHostIsAUsageError() {
        Result result = Commands.execute("hello", "--host", "");

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Invalid value for option '--host': must not be blank"), result.err());
        assertFalse(result.err().contains("Exception"), result.err());
    }

    @Test
    void missingCommandIsAUsageError() {
        Result result = Commands.execute();

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Missing command: hello, tail, chat, stream or server"), result.err());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "hello --port 70000          | Invalid value for option '--port': 70000 is not in 1..65535",
                "tail --port 0               | Invalid value for option '--port': 0 is not in 1..65535",
                "tail --max-frame 0          | Invalid value for option '--max-frame': 0 is not in 1..2147483647",
                "tail --framing xml          | Invalid value for option '--framing'",
                "stream --size 0             | Invalid value for option '--size': 0 is not in 1..1048576",
                "stream --messages -1        | Invalid value for option '--messages': -1 is not in 0..",
                "server                      | Missing required parameter: 'KIND'",
                "server ftp                  | Invalid value for positional parameter at index 0 (KIND)",
                "server feed --port 65536    | Invalid value for option '--port': 65536 is not in 0..65535",
            })
    void badValuesAreUsageErrors(String commandLine, String message) {
        Result result = Commands.execute(commandLine.strip().split(" +"));

        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith(message), result.err());
    }

    @Test
    void everyCommandIsListed() {
        Result result = Commands.execute("--help");

        for (String command : Arrays.asList("hello", "tail", "chat", "stream", "server")) {
            assertTrue(result.out().contains("\n  " + command + " "), command + " missing from:\n" + result.out());
        }
    }
}
