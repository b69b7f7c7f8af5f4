/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testing.Certificates;
import dev.tether.tls.Tls;
import dev.tether.tls.TlsProvider;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How each connection's engine is set up, and when the files are read again; no socket. */
class TlsContextTest {
    @TempDir
    Path dir;

    private static SSLParameters parameters(TlsContext context, String host, int port) {
        SslHandler handler =
                context.newHandler(UnpooledByteBufAllocator.DEFAULT, InetSocketAddress.createUnresolved(host, port));
        try {
            assertEquals(10_000, handler.getHandshakeTimeoutMillis());
            return handler.engine().getSSLParameters();
        } finally {
            ReferenceCountUtil.release(handler.engine()); // OpenSSL's engines hold native memory
        }
    }

    @Test
    void aHostNameIsCheckedAndSentInSni() {
        SSLParameters p = parameters(TlsContext.create(Tls.system().withProvider(TlsProvider.JDK)), "feed.internal", 9);
        assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("feed.internal")), p.getServerNames());
    }

    @Test
    void anAddressIsCheckedButNotSentInSni() {
        SSLParameters p = parameters(TlsContext.create(Tls.system().withProvider(TlsProvider.JDK)), "10.0.0.7", 9);
        assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
        assertTrue(p.getServerNames() == null || p.getServerNames().isEmpty(), String.valueOf(p.getServerNames()));
    }

    @Test
    void theServerNameSettingReplacesTheHostInBoth() {
        Tls tls = Tls.system().withServerName("feed.internal").withProvider(TlsProvider.JDK);
        SSLParameters p = parameters(TlsContext.create(tls), "10.0.0.7", 9);
        assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("feed.internal")), p.getServerNames());
    }

    @Test
    void aNameSniCannotCarryIsCheckedButNotSent() {
        assertNull(TlsContext.sniName("my_service")); // a container's service name
        assertNull(TlsContext.sniName("feed.internal.")); // a trailing dot
        assertNull(TlsContext.sniName("::1"));
        assertEquals(new SNIHostName("feed.internal"), TlsContext.sniName("feed.internal"));
        SSLParameters p = parameters(TlsContext.create(Tls.system().withProvider(TlsProvider.JDK)), "my_service", 9);
        assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
        assertTrue(p.getServerNames() == null || p.getServerNames().isEmpty(), String.valueOf(p.getServerNames()));
    }

    @Test
    void trustingEverythingChecksNoName() {
        SSLParameters p = parameters(TlsContext.create(Tls.insecureTrustAll()), "feed.internal", 9);
        assertNull(p.getEndpointIdentificationAlgorithm());
    }

    @Test
    void theFilesAreReadAgainOnlyWhenTheyChanged() throws Exception {
        Path ca = Certificates.authority("First").writeCertificate(dir.resolve("ca.pem"));
        TlsContext context = TlsContext.create(Tls.trustPem(ca).withProvider(TlsProvider.JDK));
        SslContext first = context.refresh();
        assertSame(first, context.refresh()); // unchanged: the same context

        Certificates.authority("Second").writeCertificate(dir.resolve("ca.pem"));
        SslContext second = context.refresh();
        assertNotSame(first, second);

        Files.writeString(ca, "half-written"); // a file being replaced: keep what was read before
        assertSame(second, context.refresh());
    }

    @Test
    void aMissingFileFailsTheClientsCreationNamingIt() {
        Path missing = dir.resolve("nowhere.pem");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TlsContext.create(Tls.trustPem(missing)));
        assertEquals("tls: no such file: " + missing, e.getMessage());
    }

    @Test
    void autoPrefersOpenSslWhereItLoads() {
        TlsProvider expected = io.netty.handler.ssl.OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK;
        assertEquals(expected, TlsContext.resolve(TlsProvider.AUTO));
        assertEquals(TlsProvider.JDK, TlsContext.resolve(TlsProvider.JDK));
    }
}
