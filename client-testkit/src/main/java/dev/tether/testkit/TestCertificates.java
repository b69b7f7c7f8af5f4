/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for a test: a throw-away certificate authority that issues server and client certificates, made with
 * the JDK alone (EC P-256 keys, SHA-256 signatures), written as PEM for the client under test and turned into an
 * {@link SSLContext} for a {@link ScriptedServer#startTls TLS server}. Nothing here is fit to protect anything real.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("Test CA");
 * TestCertificates.Issued server = ca.issue("server", "localhost", "127.0.0.1");
 * try (ScriptedServer tls = ScriptedServer.startTls(server.sslContext(), Script.create().sendLines("hi"))) {
 *     Path trusted = ca.writeCertificate(dir.resolve("ca.pem"));  // what the client under test trusts
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class TestCertificates {
    private static final Duration DAY = Duration.ofDays(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SHA256_WITH_ECDSA = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";

    private TestCertificates() {}

    /**
     * Makes a self-signed certificate authority, valid from a day ago for 30 days.
     *
     * @param name the CA's common name, as in {@code CN=name}
     * @return the authority
     */
    public static Authority authority(String name) {
        Objects.requireNonNull(name, "name");
        KeyPair keys = newKeys();
        Instant now = Instant.now();
        X509Certificate certificate = sign(
                name, keys, name, keys.getPrivate(), now.minus(DAY), now.plus(DAY.multipliedBy(30)), true, List.of());
        return new Authority(name, certificate, keys.getPrivate());
    }

    /** A certificate authority that issues certificates. */
    public static final class Authority {
        private final String name;
        private final X509Certificate certificate;
        private final PrivateKey key;

        private Authority(String name, X509Certificate certificate, PrivateKey key) {
            this.name = name;
            this.certificate = certificate;
            this.key = key;
        }

        /**
         * Returns the authority's own certificate: what a client or server that should trust its certificates trusts.
         *
         * @return the certificate
         */
        public X509Certificate certificate() {
            return certificate;
        }

        /**
         * Writes the authority's certificate as PEM.
         *
         * @param file where to write; replaced if it exists
         * @return {@code file}
         * @throws UncheckedIOException if it cannot be written
         */
        public Path writeCertificate(Path file) {
            return TestCertificates.write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /**
         * Issues a certificate valid from a day ago for 30 days, for servers and clients alike.
         *
         * @param commonName the subject's common name
         * @param names the host names and IP addresses (literals) it is valid for; none for a client certificate
         * @return the certificate and its key
         */
        public Issued issue(String commonName, String... names) {
            Instant now = Instant.now();
            return issue(commonName, now.minus(DAY), now.plus(DAY.multipliedBy(30)), names);
        }

        /**
         * Issues a certificate valid between two instants, for testing expired or not-yet-valid certificates.
         *
         * @param commonName the subject's common name
         * @param notBefore the start of its validity
         * @param notAfter the end of its validity
         * @param names the host names and IP addresses (literals) it is valid for
         * @return the certificate and its key
         */
        public Issued issue(String commonName, Instant notBefore, Instant notAfter, String... names) {
            Objects.requireNonNull(commonName, "commonName");
            KeyPair keys = newKeys();
            X509Certificate issued = sign(commonName, keys, name, key, notBefore, notAfter, false, List.of(names));
            return new Issued(issued, keys.getPrivate(), certificate);
        }
    }

    /** A certificate the authority issued, with its private key. */
    public static final class Issued {
        private final X509Certificate certificate;
        private final PrivateKey key;
        private final X509Certificate issuer;

        private Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {
            this.certificate = certificate;
            this.key = key;
            this.issuer = issuer;
        }

        /**
         * Returns the certificate.
         *
         * @return the certificate
         */
        public X509Certificate certificate() {
            return certificate;
        }

        /**
         * Returns the certificate's private key.
         *
         * @return the key
         */
        public PrivateKey privateKey() {
            return key;
        }

        /**
         * Writes the certificate as PEM.
         *
         * @param file where to write; replaced if it exists
         * @return {@code file}
         * @throws UncheckedIOException if it cannot be written
         */
        public Path writeCertificate(Path file) {
            return TestCertificates.write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /**
         * Writes the private key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}).
         *
         * @param file where to write; replaced if it exists
         * @return {@code file}
         * @throws UncheckedIOException if it cannot be written
         */
        public Path writeKey(Path file) {
            return TestCertificates.write(file, pem("PRIVATE KEY", key.getEncoded()));
        }

        /**
         * Returns a TLS context that presents this certificate and trusts {@code trusted}: for a server, the
         * authorities of the client certificates it accepts (with {@code SSLParameters.setNeedClientAuth}); for a
         * client, the authorities of the servers it trusts.
         *
         * @param trusted the certificates to trust; none to trust nothing
         * @return the context
         */
        public SSLContext sslContext(X509Certificate... trusted) {
            try {
                KeyStore keyStore = emptyStore();
                keyStore.setKeyEntry("key", key, new char[0], new X509Certificate[] {certificate, issuer});
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, new char[0]);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), trustManagers(trusted), null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a TLS context: " + e, e);
            }
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate... trusted)
            throws GeneralSecurityException {
        KeyStore trustStore = emptyStore();
        for (int i = 0; i < trusted.length; i++) {
            trustStore.setCertificateEntry("trusted-" + i, trusted[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return factory.getTrustManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    private static X509Certificate sign(
            String subject,
            KeyPair subjectKeys,
            String issuer,
            PrivateKey issuerKey,
            Instant notBefore,
            Instant notAfter,
            boolean authority,
            List<String> names) {
        try {
            byte[] algorithm = Der.sequence(Der.oid(SHA256_WITH_ECDSA));
            List<byte[]> extensions = new ArrayList<>();
            extensions.add(
                    extension(BASIC_CONSTRAINTS, true, authority ? Der.sequence(Der.bool(true)) : Der.sequence()));
            // digitalSignature, and keyCertSign with cRLSign for an authority: a named bit list without trailing zeros
            extensions.add(extension(
                    KEY_USAGE,
                    true,
                    authority
                            ? Der.element(0x03, new byte[] {1, (byte) 0x86})
                            : Der.element(0x03, new byte[] {7, (byte) 0x80})));
            if (!names.isEmpty()) {
                List<byte[]> generalNames = new ArrayList<>();
                for (String name : names) {
                    generalNames.add(
                            isAddress(name)
                                    ? Der.tagged(
                                            7,
                                            false,
                                            InetAddress.getByName(name).getAddress())
                                    : Der.tagged(2, false, name.getBytes(StandardCharsets.US_ASCII)));
                }
                extensions.add(
                        extension(SUBJECT_ALTERNATIVE_NAME, false, Der.sequence(generalNames.toArray(byte[][]::new))));
            }
            byte[] tbs = Der.sequence(
                    Der.tagged(0, true, Der.integer(BigInteger.TWO)),
                    Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                    algorithm,
                    name(issuer),
                    Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                    name(subject),
                    subjectKeys.getPublic().getEncoded(),
                    Der.tagged(3, true, Der.sequence(extensions.toArray(byte[][]::new))));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a certificate for CN=" + subject + ": " + e, e);
        }
    }

    private static boolean isAddress(String name) {
        return name.contains(":") || name.matches("[0-9]+(\\.[0-9]+){3}");
    }

    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
