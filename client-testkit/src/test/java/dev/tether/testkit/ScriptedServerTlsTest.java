/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS ScriptedServer, with a self-signed certificate the JDK's keytool makes for the test. */
class ScriptedServerTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static KeyStore serverStore;
    private static SSLContext serverContext;
    private static SSLContext trustingClient;

    @BeforeAll
    static void certificate() throws Exception {
        Path file = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        file.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        new String(PASSWORD),
                        "-keypass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
        serverStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            serverStore.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(serverStore, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), trustOnly(serverStore).getTrustManagers(), null);
        trustingClient = SSLContext.getInstance("TLS");
        trustingClient.init(null, trustOnly(serverStore).getTrustManagers(), null);
    }

    private static TrustManagerFactory trustOnly(KeyStore store) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory;
    }

    @Test
    void runsTheScriptInPlainTextOverTls() throws Exception {
        try (ScriptedServer server = ScriptedServer.startTls(
                        serverContext,
                        Script.create()
                                .sendLines("HELLO")
                                .expectLine("LOGIN alice")
                                .close());
                Client client = Client.connectTls(server.address(), trustingClient)) {
            assertEquals("HELLO", client.readLine());
            client.send("LOGIN alice\n");
            client.shutdownOutput();
            assertEquals(List.of("LOGIN alice"), server.awaitLines(0, 1, Client.TIMEOUT));
            Await.until(() -> server.connection(0).closedAt().isPresent(), Client.TIMEOUT, "the close");
            server.assertNoFailures();
            assertEquals(Optional.empty(), server.connection(0).handshakeFailure());
            assertTrue(server.toString().startsWith("ScriptedServer[TLS "), server.toString());
        }
    }

    @Test
    void aFailedHandshakeIsRecordedAndIsNotAScriptFailure() throws Exception {
        SSLContext untrusting = SSLContext.getInstance("TLS");
        untrusting.init(null, null, null); // the JDK's CAs, which never signed this certificate
        try (ScriptedServer server =
                ScriptedServer.startTls(serverContext, Script.create().expectLine("never"))) {
            assertThrows(
                    IOException.class,
                    () -> Client.connectTls(server.address(), untrusting).close());
            String failure = Await.value(
                            () -> server.connection(0).handshakeFailure(),
                            Optional::isPresent,
                            Client.TIMEOUT,
                            "a failure")
                    .orElseThrow();
            assertTrue(failure.startsWith("javax.net.ssl.SSLHandshakeException"), failure);
            server.assertNoFailures(); // the script never ran
        }
    }

    @Test
    void parametersCanRequireAClientCertificate() throws Exception {
        SSLParameters parameters = serverContext.getDefaultSSLParameters();
        parameters.setNeedClientAuth(true);
        try (ScriptedServer server = ScriptedServer.startTls(
                0, serverContext, parameters, connection -> Script.create().sendLines("welcome"))) {
            // TLS 1.3: the client's handshake ends before the server checks it; the refusal shows on the first read
            assertThrows(IOException.class, () -> {
                try (Client client = Client.connectTls(server.address(), trustingClient)) {
                    client.readLine();
                }
            });
            Await.until(() -> server.connection(0).handshakeFailure().isPresent(), Client.TIMEOUT, "the refusal");

            SSLContext withCertificate = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(serverStore, PASSWORD); // the same self-signed certificate, which the server trusts
            withCertificate.init(keys.getKeyManagers(), trustOnly(serverStore).getTrustManagers(), null);
            try (Client client = Client.connectTls(server.address(), withCertificate)) {
                assertEquals("welcome", client.readLine());
            }
            assertEquals(Optional.empty(), server.connection(1).handshakeFailure());
        }
    }

    @Test
    void downAndUpKeepTls() throws Exception {
        try (ScriptedServer server =
                ScriptedServer.startTls(serverContext, Script.create().sendLines("hi"))) {
            server.down();
            server.up();
            try (Client client = Client.connectTls(server.address(), trustingClient)) {
                assertEquals("hi", client.readLine());
            }
        }
    }
}
