/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testing.Certificates;
import dev.tether.testing.Certificates.Authority;
import dev.tether.testing.Certificates.Issued;
import dev.tether.testing.Certificates.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys and certificates from PEM files, in every format users bring, made by Bouncy Castle and read by the JDK. */
class PemTest {
    private static final char[] PASSWORD = "correct horse".toCharArray();
    private static final byte[] DATA = "some data".getBytes(StandardCharsets.US_ASCII);
    private static Authority ca;
    private static Issued ec;
    private static Issued rsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = Certificates.authority("Pem CA");
        Instant now = Instant.now();
        ec = ca.issue("ec", now, now.plus(Duration.ofDays(1)), "EC");
        rsa = ca.issue("rsa", now, now.plus(Duration.ofDays(1)), "RSA");
    }

    @ParameterizedTest(name = "{0} key, {1}")
    @CsvSource({
        "EC, PKCS8",
        "EC, PKCS8_ENCRYPTED",
        "EC, TRADITIONAL",
        "EC, TRADITIONAL_ENCRYPTED",
        "RSA, PKCS8",
        "RSA, PKCS8_ENCRYPTED",
        "RSA, TRADITIONAL",
        "RSA, TRADITIONAL_ENCRYPTED"
    })
    void readsEveryKeyFormat(String algorithm, KeyFormat format) throws Exception {
        Issued issued = algorithm.equals("EC") ? ec : rsa;
        boolean encrypted = format.name().endsWith("ENCRYPTED");
        Path file = issued.writeKey(dir.resolve("key.pem"), format, encrypted ? PASSWORD : null);

        PrivateKey key = Pem.privateKey(file, encrypted ? PASSWORD : null);

        assertEquals(algorithm, key.getAlgorithm());
        // the very key: what it signs, the certificate's public key verifies
        String scheme = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature signer = Signature.getInstance(scheme);
        signer.initSign(key);
        signer.update(DATA);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(scheme);
        verifier.initVerify(issued.certificate().getPublicKey());
        verifier.update(DATA);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void anEncryptedKeyWithoutAPasswordSaysToGiveOne() {
        Path file = ec.writeKey(dir.resolve("key.pem"), KeyFormat.PKCS8_ENCRYPTED, PASSWORD);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> Pem.privateKey(file, null));
        assertEquals(
                file
                        + ": the private key is encrypted; give its password (withClientCertificate(chain, key, password))",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"PKCS8_ENCRYPTED", "TRADITIONAL_ENCRYPTED"})
    void aWrongPasswordSaysSo(KeyFormat format) {
        Path file = rsa.writeKey(dir.resolve("key.pem"), format, PASSWORD);
        GeneralSecurityException e =
                assertThrows(GeneralSecurityException.class, () -> Pem.privateKey(file, "wrong".toCharArray()));
        assertTrue(e.getMessage().startsWith(file + ": cannot decrypt the private key"), e.getMessage());
    }

    @Test
    void aFileWithoutAKeyNamesWhatItExpected() throws Exception {
        Path file = ec.writeCertificate(dir.resolve("cert.pem"));
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> Pem.privateKey(file, null));
        assertTrue(e.getMessage().startsWith(file + " holds no private key (expected -----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void readsEveryCertificateOfABundleAndSkipsTheTextAround() throws Exception {
        Path first = ec.writeCertificate(dir.resolve("a.pem"));
        Path second = ca.writeCertificate(dir.resolve("b.pem"));
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(
                bundle,
                "# the leaf\r\n" + Files.readString(first).replace("\n", "\r\n") + "subject=CN=Pem CA\n"
                        + Files.readString(second));

        List<X509Certificate> certificates = Pem.certificates(bundle);

        assertEquals(List.of(ec.certificate(), ca.certificate()), certificates);
    }

    @Test
    void garbledInputIsACheckedFailureNamingTheFile() throws Exception {
        Path badIv = Files.writeString(
                dir.resolve("bad-iv.key"),
                "-----BEGIN RSA PRIVATE KEY-----\n"
                        + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,ABC\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        GeneralSecurityException iv =
                assertThrows(GeneralSecurityException.class, () -> Pem.privateKey(badIv, PASSWORD));
        assertEquals(badIv + ": the DEK-Info header's IV is not at least 8 hex bytes", iv.getMessage());

        // an EC key whose DER length says two gigabytes
        byte[] der = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01, 0x01};
        Path huge = Files.writeString(
                dir.resolve("huge.key"),
                "-----BEGIN EC PRIVATE KEY-----\n"
                        + java.util.Base64.getEncoder().encodeToString(der) + "\n-----END EC PRIVATE KEY-----\n");
        GeneralSecurityException length =
                assertThrows(GeneralSecurityException.class, () -> Pem.privateKey(huge, null));
        assertTrue(length.getMessage().startsWith(huge.toString()), length.getMessage());
    }

    @Test
    void aFileWithoutCertificatesSaysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> Pem.certificates(file));
        assertEquals(file + " holds no certificate (no -----BEGIN CERTIFICATE----- block)", e.getMessage());
    }
}
