/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.GreetingServer;
import dev.tether.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples' {@code --proxy} against the in-JVM proxies of client-core's tests. */
class ProxyExamplesIT {
    @Test
    void helloGoesThroughASocks5Proxy() throws Exception {
        try (DemoServer server = new GreetingServer().start(0);
                TestProxy proxy = TestProxy.socks5("reader", "p@ss")) {
            Output out = new Output();
            int exit = Commands.parse(
                            new HelloExample(),
                            "--host",
                            "localhost",
                            "--port",
                            "" + server.port(),
                            "--proxy",
                            "socks5://reader:p%40ss@127.0.0.1:" + proxy.port())
                    .run(out.stream());
            assertEquals(0, exit);
            assertEquals(List.of("Received data: " + GreetingServer.GREETING), out.lines());
            assertEquals(List.of("localhost:" + server.port()), proxy.requestedTargets()); // the proxy resolved it
        }
    }

    @Test
    void aRefusalIsOneLineAndExitOne() {
        try (TestProxy proxy = TestProxy.http().forbid("feed.internal")) {
            Commands.Result result = Commands.execute(
                    "hello",
                    "--host",
                    "feed.internal",
                    "--port",
                    "9000",
                    "--proxy",
                    "http://127.0.0.1:" + proxy.port());
            assertEquals(1, result.exitCode());
            assertEquals(
                    "error: HTTP proxy 127.0.0.1:" + proxy.port() + " refused the connection to feed.internal:9000: 403"
                            + " Forbidden",
                    result.err().strip());
        }
    }

    @Test
    void aProxyThatIsNotAUrlIsAUsageError() {
        Commands.Result result = Commands.execute("hello", "--port", "9000", "--proxy", "127.0.0.1:1080");
        assertEquals(2, result.exitCode());
        assertTrue(
                result.err()
                        .startsWith("Invalid value for option '--proxy': invalid proxy '127.0.0.1:1080': use"
                                + " socks5://"),
                result.err());
    }
}
