/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.examples.Commands.Result;
import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.FlakyServer;
import dev.tether.reconnect.ReconnectPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerExampleIT {
    @Test
    void feedServerServesTail() throws Exception {
        Output log = new Output();
        ServerExample command =
                Commands.parse(new ServerExample(), "feed", "--port", "0", "--messages", "3", "--size", "5");

        try (DemoServer server = command.start(log.stream())) {
            assertEquals(List.of("listening on 127.0.0.1:" + server.port()), log.lines());
            Output out = new Output();

            int exitCode = Commands.parse(new TailExample(), "--port", "" + server.port())
                    .run(out.stream(), new Output().writer());

            assertEquals(0, exitCode);
            assertEquals(List.of("1 abc", "2 abc", "3 abc"), out.lines());
        }
    }

    @Test
    void lengthPrefixedFeedServesTail() throws Exception {
        ServerExample command = Commands.parse(
                new ServerExample(), "feed", "--port", "0", "--messages", "2", "--size", "3", "--framing", "LENPREF");

        try (DemoServer server = command.start(new Output().stream())) {
            Output out = new Output();

            int exitCode = Commands.parse(new TailExample(), "--port", "" + server.port(), "--framing", "lenpref")
                    .run(out.stream(), new Output().writer());

            assertEquals(0, exitCode);
            assertEquals(List.of("1 a", "2 a"), out.lines());
        }
    }

    @Test
    void echoServerSendsLinesBack() throws Exception {
        try (DemoServer server = Commands.parse(new ServerExample(), "echo", "--port", "0")
                        .start(new Output().stream());
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress(DemoServer.HOST, server.port())
                        .build())) {
            Connection<String> connection = client.connect().get(5, TimeUnit.SECONDS);

            connection.send("ping").get(5, TimeUnit.SECONDS);

            assertEquals(Optional.of("ping"), connection.receive(Duration.ofSeconds(5)));
        }
    }

    @Test
    void flakyServerTakesItsSeedAndInterval() throws Exception {
        ServerExample command =
                Commands.parse(new ServerExample(), "flaky", "--port", "0", "--seed", "3", "--interval", "5ms");
        List<FlakyServer.Plan> plans = FlakyServer.schedule(3, 10);
        int first = plans.stream()
                .map(FlakyServer.Plan::ticks)
                .filter(ticks -> ticks > 0)
                .findFirst()
                .orElseThrow();

        try (DemoServer server = command.start(new Output().stream());
                TetherClient<String> client = TetherClient.create(ClientConfig.builder()
                        .remoteAddress(DemoServer.HOST, server.port())
                        .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(5)))
                        .build())) {
            Connection<String> connection = client.connect().get(5, TimeUnit.SECONDS);

            // seed 3 plans the same ticks whatever the port: the first connection that gets any gets these
            for (int n = 1; n <= first; n++) {
                assertEquals(Optional.of("tick " + n), connection.receive(Duration.ofSeconds(5)));
            }
        }
    }

    @Test
    void portInUseExitsOneNamingIt() throws Exception {
        try (DemoServer server =
                Commands.parse(new ServerExample(), "echo", "--port", "0").start(new Output().stream())) {
            Result result = Commands.execute("server", "chat", "--port", "" + server.port());

            assertEquals(1, result.exitCode());
            assertEquals(
                    List.of("error: cannot listen on 127.0.0.1:" + server.port() + ": Address already in use"),
                    result.err().lines().toList());
        }
    }
}
