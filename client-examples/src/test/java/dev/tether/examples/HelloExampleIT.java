/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.Commands.Result;
import dev.tether.examples.server.GreetingServer;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HelloExampleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void printsTheLineOfItsEmbeddedServer() throws Exception {
        Output out = new Output();

        int exitCode = Commands.parse(new HelloExample()).run(out.stream());

        assertEquals(0, exitCode);
        assertEquals(List.of("Received data: Hello from the Tether demo server!"), out.lines());
    }

    @Test
    void answersHelloServer() throws Exception {
        try (GreetingServer server = new GreetingServer()) {
            server.start(0);
            Output out = new Output();

            int exitCode = Commands.parse(new HelloExample(), "--port", "" + server.port())
                    .run(out.stream());

            assertEquals(0, exitCode);
            assertEquals(List.of("Received data: " + GreetingServer.GREETING), out.lines());
            Await.until(() -> server.received().equals(List.of("Hello, server!")), TIMEOUT, "the server's answer");
        }
    }

    @Test
    void aServerThatHangsUpAtOnceIsSaidToHaveClosed() {
        try (ScriptedServer server = ScriptedServer.start(Script.create().close())) {
            Result result = Commands.execute("hello", "--port", "" + server.port());

            assertEquals(1, result.exitCode());
            assertEquals(
                    "error: 127.0.0.1:" + server.port() + " closed the connection before sending a line",
                    result.err().strip());
        }
    }

    @Test
    void closedPortExitsOneNamingTheAddress() throws Exception {
        int port = Commands.closedPort();

        Result result = Commands.execute("hello", "--host", "127.0.0.1", "--port", "" + port);

        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("error: connect to 127.0.0.1:" + port + " failed"), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }
}
