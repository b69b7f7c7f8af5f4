/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.DemoTls;
import dev.tether.examples.server.GreetingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' TLS options against the demo servers over TLS, and the one-line errors of each mistake. */
class TlsExamplesIT {
    @TempDir
    Path dir;

    @Test
    void helloWithTlsTalksToItsEmbeddedServerOverTls() throws Exception {
        Output out = new Output();
        assertEquals(0, Commands.parse(new HelloExample(), "--tls").run(out.stream()));
        assertEquals(List.of("Received data: " + GreetingServer.GREETING), out.lines());
    }

    @Test
    void serverTlsNamesTheCaFileThatHelloTrusts() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServerExample command = Commands.parse(new ServerExample(), "greeting", "--tls", "--port", "0");
        try (DemoServer server = command.start(new PrintStream(log, true, StandardCharsets.UTF_8))) {
            List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals("listening on 127.0.0.1:" + server.port(), lines.get(0));
            assertTrue(lines.get(1).startsWith("TLS: clients trust this server with --ca "), lines.get(1));
            String ca = lines.get(1).substring("TLS: clients trust this server with --ca ".length());

            Output out = new Output();
            int exit = Commands.parse(new HelloExample(), "--port", "" + server.port(), "--ca", ca)
                    .run(out.stream());
            assertEquals(0, exit);
            assertEquals(List.of("Received data: " + GreetingServer.GREETING), out.lines());
        }
    }

    @Test
    void anUntrustedServerIsOneLineAndExitOne() throws Exception {
        try (DemoServer server =
                new GreetingServer().tls(DemoTls.create().serverCertificate()).start(0)) {
            Commands.Result result = Commands.execute("hello", "--port", "" + server.port(), "--tls");
            assertEquals(1, result.exitCode());
            assertTrue(
                    result.err()
                            .startsWith("error: TLS handshake with 127.0.0.1:" + server.port() + " failed: the"
                                    + " server's certificate (CN=Tether demo server) is not trusted: it was issued by"
                                    + " CN=Tether demo CA"),
                    result.err());
            assertEquals(1, result.err().lines().count(), result.err());
        }
    }

    @Test
    void aPlainServerIsCalledOne() throws Exception {
        try (DemoServer server = new GreetingServer().start(0)) {
            Commands.Result result = Commands.execute("hello", "--port", "" + server.port(), "--tls");
            assertEquals(1, result.exitCode());
            assertEquals(
                    "error: TLS handshake with 127.0.0.1:" + server.port() + " failed: the server did not answer"
                            + " with TLS: is 127.0.0.1:" + server.port() + " a plain-text port?",
                    result.err().strip());
        }
    }

    @Test
    void aMissingCaFileIsOneLineNamingIt() {
        Path missing = dir.resolve("nowhere.pem");
        Commands.Result result = Commands.execute("hello", "--port", "1", "--ca", missing.toString());
        assertEquals(1, result.exitCode());
        assertEquals("error: tls: no such file: " + missing, result.err().strip());
    }

    @Test
    void certWithoutKeyIsAUsageError() {
        Commands.Result result = Commands.execute("hello", "--port", "1", "--cert", "client.pem");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("--cert and --key go together: give both, or neither"), result.err());
    }
}
