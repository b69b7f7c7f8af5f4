/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.testkit.TestCertificates;
import dev.tether.tls.Tls;
import dev.tether.tls.TlsProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the {@code --tls} rows: a throw-away certificate authority made at start (the test kit's
 * {@link TestCertificates}, EC P-256) and a feed-server certificate it issues for {@code 127.0.0.1}; the feed
 * server's {@link SslContext} on a provider, and the clients' trust in that authority, as Tether's {@link Tls} and as
 * the hand-written Netty client's {@link SslContext}, built the way Tether builds its own.
 *
 * <p>A forked child only connects: it trusts the authority's certificate, read from the PEM file the parent wrote.
 */
final class BenchTls {
    /** The host every TLS client connects to and checks the server's certificate against. */
    static final String HOST = "127.0.0.1";

    private final X509Certificate authority;
    private final TestCertificates.Authority ca; // null in a forked child
    private final TestCertificates.Issued server; // null in a forked child
    private final KeyStore trustStore;
    private Path authorityFile; // written when a forked peer first needs it

    private BenchTls(X509Certificate authority, TestCertificates.Authority ca, TestCertificates.Issued server) {
        this.authority = authority;
        this.ca = ca;
        this.server = server;
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("tether-bench-ca", authority);
            this.trustStore = store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust store: " + e, e);
        }
    }

    /** Makes a new authority and the feed server's certificate, valid for {@code 127.0.0.1} and {@code localhost}. */
    static BenchTls create() {
        return create(HOST, "localhost");
    }

    /** The same, with a feed-server certificate valid for {@code names} only. */
    static BenchTls create(String... names) {
        TestCertificates.Authority ca = TestCertificates.authority("tether-bench CA");
        return new BenchTls(ca.certificate(), ca, ca.issue("tether-bench feed", names));
    }

    /** A client's side only, trusting the authority whose certificate is in {@code pem}: what a forked child uses. */
    static BenchTls trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate certificate =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new BenchTls(certificate, null, null);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the benchmark's CA from " + pem + ": " + e, e);
        }
    }

    /** The providers this machine has: the JDK's, and OpenSSL where netty-tcnative loads. */
    static List<TlsProvider> providers() {
        List<TlsProvider> providers = new ArrayList<>(List.of(TlsProvider.JDK));
        if (OpenSsl.isAvailable()) {
            providers.add(TlsProvider.OPENSSL);
        }
        return providers;
    }

    /** {@code jdk} or {@code openssl}, as the rows and the command line name a provider. */
    static String label(TlsProvider provider) {
        return provider.name().toLowerCase(Locale.ROOT);
    }

    /** The provider named {@code label}: {@code jdk} or {@code openssl}. */
    static TlsProvider provider(String label) {
        return switch (label) {
            case "jdk" -> TlsProvider.JDK;
            case "openssl" -> TlsProvider.OPENSSL;
            default -> throw new IllegalArgumentException("unknown TLS provider '" + label + "'; known: jdk, openssl");
        };
    }

    private static SslProvider netty(TlsProvider provider) {
        return switch (provider) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> SslProvider.OPENSSL;
            default -> throw new IllegalArgumentException("a benchmark row names its provider, not " + provider);
        };
    }

    /** The feed server's context on {@code provider}: its certificate and the authority's, and its key. */
    SslContext serverContext(TlsProvider provider) {
        if (server == null) {
            throw new IllegalStateException("a client's side only has no server certificate");
        }
        try {
            return SslContextBuilder.forServer(server.privateKey(), server.certificate(), authority)
                    .sslProvider(netty(provider))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The hand-written Netty client's context on {@code provider}, built as Tether builds its own: the provider, and
     * the JDK's default trust manager over a store that holds the authority.
     */
    SslContext nettyContext(TlsProvider provider) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            return SslContextBuilder.forClient()
                    .sslProvider(netty(provider))
                    .trustManager(trust)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust manager: " + e, e);
        }
    }

    /** Tether's settings on {@code provider}: the same trust store, everything else its defaults. */
    Tls tether(TlsProvider provider) {
        return Tls.trustStore(trustStore).withProvider(provider);
    }

    /**
     * A handler for a new connection to {@link #HOST} on {@code port}, set up as Tether sets up its own: the host
     * given to the engine, the server's name checked ("HTTPS" endpoint identification), and SNI for a host name (none
     * for an IP literal, such as {@link #HOST}).
     */
    static SslHandler handler(SslContext context, ByteBufAllocator allocator, int port) {
        SslHandler handler = context.newHandler(allocator, HOST, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!NetUtil.isValidIpV4Address(HOST) && !NetUtil.isValidIpV6Address(HOST)) {
            parameters.setServerNames(List.of(new SNIHostName(HOST)));
        }
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** Writes the authority's certificate to a temporary PEM file, once, for forked children; deleted at exit. */
    synchronized Path authorityFile() {
        if (ca == null) {
            throw new IllegalStateException("a client's side only does not write the authority");
        }
        if (authorityFile == null) {
            try {
                Path file = Files.createTempFile("tether-bench-ca-", ".pem");
                file.toFile().deleteOnExit();
                authorityFile = ca.writeCertificate(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return authorityFile;
    }

    /** One client side on one provider: the label its rows show, Tether's settings and the Netty client's context. */
    record Client(TlsProvider provider, Tls tether, SslContext netty) {
        String label() {
            return BenchTls.label(provider);
        }
    }

    /** The client side on {@code provider}. */
    Client client(TlsProvider provider) {
        return new Client(provider, tether(provider), nettyContext(provider));
    }
}
