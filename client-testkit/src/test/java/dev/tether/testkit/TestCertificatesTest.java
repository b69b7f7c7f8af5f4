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
import java.security.KeyFactory;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {
    @TempDir
    Path dir;

    @Test
    void anIssuedCertificateChainsToItsAuthorityAndNamesItsHosts() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Kit CA");
        TestCertificates.Issued server = ca.issue("server", "localhost", "127.0.0.1", "::1");
        X509Certificate certificate = server.certificate();

        certificate.verify(ca.certificate().getPublicKey()); // signed by the CA
        ca.certificate().verify(ca.certificate().getPublicKey()); // which signed itself
        certificate.checkValidity();
        assertEquals("CN=server", certificate.getSubjectX500Principal().getName());
        assertEquals("CN=Kit CA", certificate.getIssuerX500Principal().getName());
        assertEquals(-1, certificate.getBasicConstraints()); // not a CA
        assertTrue(ca.certificate().getBasicConstraints() >= 0);
        assertEquals(
                List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
                List.copyOf(certificate.getSubjectAlternativeNames()));
    }

    @Test
    void validityCanBeInThePast() {
        TestCertificates.Issued old = TestCertificates.authority("Kit CA")
                .issue("old", Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-02-01T00:00:00Z"));
        assertThrows(CertificateExpiredException.class, () -> old.certificate().checkValidity());
        assertEquals(
                Instant.parse("2024-02-01T00:00:00Z"),
                old.certificate().getNotAfter().toInstant());
    }

    @Test
    void pemFilesReadBackAsTheSameCertificateAndKey() throws Exception {
        TestCertificates.Issued client = TestCertificates.authority("Kit CA").issue("client");
        Path certificateFile = client.writeCertificate(dir.resolve("client.pem"));
        Path keyFile = client.writeKey(dir.resolve("client.key"));

        try (InputStream in = Files.newInputStream(certificateFile)) {
            assertEquals(
                    client.certificate(),
                    CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        String pem = Files.readString(keyFile);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        byte[] der = Base64.getMimeDecoder()
                .decode(pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""));
        assertEquals(client.privateKey(), KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
    }

    @Test
    void aClientThatChecksTheHostNameAcceptsTheServer() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Kit CA");
        SSLContext trusting = ca.issue("client").sslContext(ca.certificate());
        try (ScriptedServer server = ScriptedServer.startTls(
                        ca.issue("server", "127.0.0.1").sslContext(),
                        Script.create().sendLines("hello"));
                Client client = Client.connectTls(server.address(), trusting, "HTTPS")) {
            assertEquals("hello", client.readLine());
            assertEquals(Optional.empty(), server.connection(0).handshakeFailure());
        }
    }

    @Test
    void theNameCheckRejectsAServerCertificateForAnotherName() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Kit CA");
        SSLContext trusting = ca.issue("client").sslContext(ca.certificate());
        try (ScriptedServer server =
                ScriptedServer.startTls(ca.issue("server", "elsewhere.internal").sslContext(), Script.create())) {
            IOException e = assertThrows(
                    IOException.class,
                    () -> Client.connectTls(server.address(), trusting, "HTTPS").close());
            assertTrue(String.valueOf(e.getMessage()).contains("127.0.0.1"), String.valueOf(e));
        }
    }
}
