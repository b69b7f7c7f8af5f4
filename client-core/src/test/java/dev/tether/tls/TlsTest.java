/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsTest {
    private static final Path CA = Path.of("ca.pem");

    @Test
    void theDefaultsAreTheSafeOnes() {
        Tls tls = Tls.system();
        assertFalse(tls.trustsAll());
        assertEquals(Optional.empty(), tls.trustedCertificates());
        assertEquals(Optional.empty(), tls.serverName());
        assertEquals(List.of(), tls.protocols());
        assertEquals(List.of(), tls.ciphers());
        assertEquals(Duration.ofSeconds(10), tls.handshakeTimeout());
        assertEquals(TlsProvider.AUTO, tls.provider());
        assertEquals(
                "Tls{trust=system, clientCertificate=none, handshakeTimeout=PT10S, provider=AUTO}", tls.toString());
    }

    @Test
    void eachWithReturnsACopyAndLeavesTheOriginal() {
        Tls base = Tls.trustPem(CA);
        Tls named = base.withServerName("feed.internal");
        assertEquals(Optional.empty(), base.serverName());
        assertEquals(Optional.of("feed.internal"), named.serverName());
        assertEquals(Optional.of(CA), named.trustedCertificates());
        Tls limited = named.withProtocols("TLSv1.3")
                .withCiphers("TLS_AES_128_GCM_SHA256")
                .withHandshakeTimeout(Duration.ofSeconds(3))
                .withProvider(TlsProvider.JDK);
        assertEquals(Optional.of("feed.internal"), limited.serverName());
        assertEquals(List.of("TLSv1.3"), limited.protocols());
        assertEquals(List.of("TLS_AES_128_GCM_SHA256"), limited.ciphers());
        assertEquals(Duration.ofSeconds(3), limited.handshakeTimeout());
        assertEquals(TlsProvider.JDK, limited.provider());
        assertEquals(
                "Tls{trust=PEM ca.pem, clientCertificate=none, serverName=feed.internal, protocols=[TLSv1.3],"
                        + " ciphers=[TLS_AES_128_GCM_SHA256], handshakeTimeout=PT3S, provider=JDK}",
                limited.toString());
    }

    @Test
    void passwordsAreCopiedAndNeverPrinted() {
        char[] password = "hunter2".toCharArray();
        Tls tls = Tls.system().withClientCertificate(Path.of("c.pem"), Path.of("c.key"), password);
        password[0] = 'X'; // the caller wipes its array
        assertArrayEquals("hunter2".toCharArray(), tls.clientKeyPassword().orElseThrow());
        tls.clientKeyPassword().orElseThrow()[0] = 'Y'; // and the accessor hands out copies
        assertArrayEquals("hunter2".toCharArray(), tls.clientKeyPassword().orElseThrow());
        assertFalse(tls.toString().contains("hunter2"), tls.toString());
        assertTrue(tls.toString().contains("clientCertificate=c.pem (encrypted key)"), tls.toString());
    }

    @Test
    void aNewClientCertificateReplacesTheOldOne() {
        Tls tls = Tls.system()
                .withClientCertificate(Path.of("c.pem"), Path.of("c.key"))
                .withClientKeyStore(emptyStore(), new char[0]);
        assertEquals(Optional.empty(), tls.clientCertificateChain());
        assertTrue(tls.clientKeyStore().isPresent());
    }

    @Test
    void insecureTrustSaysSoWhenPrinted() {
        assertTrue(Tls.insecureTrustAll().trustsAll());
        assertTrue(Tls.insecureTrustAll().toString().contains("trust=EVERYTHING (insecure)"));
    }

    @Test
    void badSettingsNameTheSettingAndTheValue() {
        assertEquals("serverName must not be blank", rejected(() -> Tls.system().withServerName(" ")));
        assertEquals(
                "serverName is not a valid host name: \"bad name!\"",
                rejected(() -> Tls.system().withServerName("bad name!")));
        assertEquals(
                "handshakeTimeout must be more than 0 and at most 1 hour, was PT0S",
                rejected(() -> Tls.system().withHandshakeTimeout(Duration.ZERO)));
        assertEquals(
                "handshakeTimeout must be more than 0 and at most 1 hour, was PT2H",
                rejected(() -> Tls.system().withHandshakeTimeout(Duration.ofHours(2))));
        assertEquals(
                "protocols must name at least one", rejected(() -> Tls.system().withProtocols()));
        assertEquals(
                "ciphers must not contain a blank name: [TLS_AES_128_GCM_SHA256, ]",
                rejected(() -> Tls.system().withCiphers("TLS_AES_128_GCM_SHA256", "")));
        assertThrows(NullPointerException.class, () -> Tls.trustPem(null));
        assertThrows(NullPointerException.class, () -> Tls.system().withProvider(null));
        // addresses are fine: checked against the certificate's IP entries
        assertEquals(
                Optional.of("10.0.0.1"), Tls.system().withServerName("10.0.0.1").serverName());
        assertEquals(Optional.of("::1"), Tls.system().withServerName("::1").serverName());
    }

    @Test
    void equalSettingsAreEqual() {
        Tls a = Tls.trustPem(CA).withServerName("x.internal").withHandshakeTimeout(Duration.ofSeconds(2));
        Tls b = Tls.trustPem(CA).withServerName("x.internal").withHandshakeTimeout(Duration.ofSeconds(2));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.withServerName("y.internal"));
        assertNotEquals(Tls.system(), Tls.insecureTrustAll());
        assertNotEquals(
                Tls.system().withClientCertificate(CA, CA, "a".toCharArray()),
                Tls.system().withClientCertificate(CA, CA, "b".toCharArray()));
    }

    private static String rejected(Runnable setting) {
        return assertThrows(IllegalArgumentException.class, setting::run).getMessage();
    }

    private static java.security.KeyStore emptyStore() {
        try {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
