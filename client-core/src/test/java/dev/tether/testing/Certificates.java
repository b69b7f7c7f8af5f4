/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.MiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * Certificates made in the test, with Bouncy Castle: a CA, and server and client certificates it issues, valid or
 * not, written as PEM in the formats users have. Keys are EC P-256 unless a test asks for RSA: quick to make.
 *
 * <pre>{@code
 * Certificates.Authority ca = Certificates.authority("Test CA");
 * Certificates.Issued server = ca.server("localhost");
 * ScriptedServer tls = ScriptedServer.startTls(server.serverContext(null), script);
 * Path trusted = ca.writeCertificate(dir.resolve("ca.pem"));
 * }</pre>
 */
public final class Certificates {
    /** Bouncy Castle's provider, used for writing encrypted keys only: never installed, so the code under test reads
     * them with the JDK alone. */
    private static final Provider BC = new BouncyCastleProvider();

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final Duration DAY = Duration.ofDays(1);

    private Certificates() {}

    /** The formats a private key is written in. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY}. */
        PKCS8,
        /** {@code BEGIN ENCRYPTED PRIVATE KEY}, AES-256-CBC under PBES2. */
        PKCS8_ENCRYPTED,
        /** {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY}. */
        TRADITIONAL,
        /** The traditional form with {@code Proc-Type} and {@code DEK-Info: AES-256-CBC} headers. */
        TRADITIONAL_ENCRYPTED
    }

    /** Makes a self-signed CA. */
    public static Authority authority(String name) {
        KeyPair keys = keys("EC");
        X500Name subject = new X500Name("CN=" + name);
        X509Certificate certificate = build(
                subject,
                keys,
                subject,
                keys,
                Instant.now().minus(DAY),
                Instant.now().plus(DAY.multipliedBy(30)),
                true,
                List.of(),
                keys.getPrivate().getAlgorithm());
        return new Authority(new Issued(certificate, keys, List.of()));
    }

    /** A CA that issues certificates. */
    public static final class Authority {
        private final Issued self;

        private Authority(Issued self) {
            this.self = self;
        }

        public X509Certificate certificate() {
            return self.certificate();
        }

        /** A server certificate for {@code names} (host names, or IP literals), valid from yesterday for 30 days. */
        public Issued server(String... names) {
            return issue("server", Instant.now().minus(DAY), Instant.now().plus(DAY.multipliedBy(30)), "EC", names);
        }

        /** A client certificate, valid from yesterday for 30 days. */
        public Issued client(String name) {
            return issue(name, Instant.now().minus(DAY), Instant.now().plus(DAY.multipliedBy(30)), "EC");
        }

        /** A certificate with the given validity, key algorithm ({@code "EC"} or {@code "RSA"}) and names. */
        public Issued issue(
                String commonName, Instant notBefore, Instant notAfter, String keyAlgorithm, String... names) {
            KeyPair keys = keys(keyAlgorithm);
            X509Certificate certificate = build(
                    new X500Name("CN=" + commonName),
                    keys,
                    new X500Name(self.certificate().getSubjectX500Principal().getName()),
                    self.keys(),
                    notBefore,
                    notAfter,
                    false,
                    List.of(names),
                    self.keys().getPrivate().getAlgorithm());
            return new Issued(certificate, keys, List.of(self.certificate()));
        }

        /** Writes the CA's certificate as PEM. */
        public Path writeCertificate(Path file) {
            return self.writeCertificate(file);
        }
    }

    /** A certificate, its key pair, and the chain above it (not the root). */
    public record Issued(X509Certificate certificate, KeyPair keys, List<X509Certificate> issuers) {
        /** Writes the certificate alone as PEM. */
        public Path writeCertificate(Path file) {
            try {
                return write(file, pem(List.of(new JcaMiscPEMGenerator(certificate))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes the private key as PEM in {@code format}; {@code password} for the encrypted ones. */
        public Path writeKey(Path file, KeyFormat format, char[] password) {
            try {
                PemObjectGenerator generator = switch (format) {
                    case PKCS8 -> new JcaPKCS8Generator(keys.getPrivate(), null);
                    case PKCS8_ENCRYPTED ->
                        new JcaPKCS8Generator(
                                keys.getPrivate(),
                                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                                        .setProvider(BC)
                                        .setPassword(password)
                                        .build());
                    case TRADITIONAL -> new MiscPEMGenerator(traditional());
                    case TRADITIONAL_ENCRYPTED ->
                        new MiscPEMGenerator(
                                traditional(),
                                new JcePEMEncryptorBuilder("AES-256-CBC")
                                        .setProvider(BC)
                                        .build(password));
                };
                return write(file, pem(List.of(generator)));
            } catch (OperatorCreationException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The key as OpenSSL writes a traditional key: an EC key's {@code ECPrivateKey} names its curve (the JDK's
         * PKCS#8 encoding leaves it out, as the algorithm identifier carries it).
         */
        private PrivateKeyInfo traditional() throws IOException {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
            if (!keys.getPrivate().getAlgorithm().equals("EC")) {
                return info;
            }
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            ECPrivateKey withCurve = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(), curve);
            return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), withCurve);
        }

        /** A server's TLS context presenting this certificate; trusting {@code clientCa} for client certificates. */
        public SSLContext serverContext(X509Certificate clientCa) {
            try {
                KeyStore keyStore = keyStore();
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, new char[0]);
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                if (clientCa != null) {
                    trusted.setCertificateEntry("client-ca", clientCa);
                }
                trust.init(trusted);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** This certificate and key as a PKCS#12 key store whose entry password is empty. */
        public KeyStore keyStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                List<X509Certificate> chain = new ArrayList<>();
                chain.add(certificate);
                chain.addAll(issuers);
                store.setKeyEntry("key", keys.getPrivate(), new char[0], chain.toArray(X509Certificate[]::new));
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Server parameters that require a client certificate. */
    public static SSLParameters requireClientCertificate(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setNeedClientAuth(true);
        return parameters;
    }

    private static X509Certificate build(
            X500Name subject,
            KeyPair keys,
            X500Name issuer,
            KeyPair issuerKeys,
            Instant notBefore,
            Instant notAfter,
            boolean ca,
            List<String> names,
            String issuerAlgorithm) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(
                            ca
                                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!names.isEmpty()) {
                GeneralName[] alternatives = names.stream()
                        .map(n -> new GeneralName(
                                n.matches("[0-9.]+") || n.contains(":") ? GeneralName.iPAddress : GeneralName.dNSName,
                                n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
            }
            String signature = issuerAlgorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder(signature).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a certificate for " + subject, e);
        }
    }

    private static KeyPair keys(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(List<PemObjectGenerator> objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (PemObjectGenerator object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
