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
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** Every client command takes the same TLS and proxy options, and fails with the same one line. */
    @ParameterizedTest
    @ValueSource(strings = {"hello", "tail", "chat", "stream"})
    void everyClientTakesTheTlsAndProxyOptions(String command) throws Exception {
        try (DemoServer server = new GreetingServer().start(0)) {
            Commands.Result result = Commands.execute(
                    command,
                    "--port",
                    "" + server.port(),
                    "--tls",
                    "--server-name",
                    "localhost",
                    "--proxy",
                    "socks5://127.0.0.1:" + Commands.closedPort());
            assertEquals(1, result.exitCode(), result.err());
            assertTrue(result.err().startsWith("error: connect to SOCKS5 proxy 127.0.0.1:"), result.err());
            assertTrue(
                    result.err()
                            .strip()
                            .endsWith("on the way to 127.0.0.1:" + server.port() + " failed: Connection refused"),
                    result.err());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"feed", "chat", "echo", "flaky"})
    void everyServerSpeaksTlsWithItsCaNamed(String kind) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServerExample command = Commands.parse(new ServerExample(), kind, "--tls", "--port", "0");
        try (DemoServer server = command.start(new PrintStream(log, true, StandardCharsets.UTF_8))) {
            String ca = log.toString(StandardCharsets.UTF_8)
                    .lines()
                    .toList()
                    .get(1)
                    .substring("TLS: clients trust this server with --ca ".length());
            SSLContext trusting = SSLContext.getInstance("TLS");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(ca))) {
                store.setCertificateEntry(
                        "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(store);
            trusting.init(null, trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", server.port())) {
                socket.startHandshake(); // fails unless the certificate chains to the CA the server named
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
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
