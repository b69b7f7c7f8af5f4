/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyTest {
    @Test
    void eachProtocolPrintsItsNameAndAddressButNeverThePassword() {
        assertEquals(
                "SOCKS5 proxy 127.0.0.1:1080", Proxy.socks5("127.0.0.1", 1080).toString());
        assertEquals(
                "SOCKS4a proxy gate.internal:1080",
                Proxy.socks4a("gate.internal", 1080).toString());
        assertEquals("HTTP proxy [::1]:3128", Proxy.http("::1", 3128).toString());
        Proxy secret = Proxy.http("gate.internal", 3128).withCredentials("reader", "hunter2");
        assertEquals("HTTP proxy gate.internal:3128 (user reader)", secret.toString());
        assertFalse(secret.toString().contains("hunter2"));
        assertEquals(
                "SOCKS5 proxy gate.internal:1080 (resolving locally)",
                Proxy.socks5("gate.internal", 1080).withLocalResolution().toString());
    }

    @Test
    void theProxyResolvesTheServersNameByDefault() {
        Proxy proxy = Proxy.socks5("gate.internal", 1080);
        assertFalse(proxy.resolvesLocally());
        assertTrue(proxy.address().isUnresolved()); // the proxy's own name too is resolved at each connect
        assertTrue(proxy.withLocalResolution().resolvesLocally());
        assertEquals(Proxy.Type.SOCKS5, proxy.type());
        assertEquals(Optional.empty(), proxy.username());
    }

    @Test
    void badSettingsNameTheSettingAndTheValue() {
        assertEquals("proxy port must be in 1..65535, was 0", rejected(() -> Proxy.socks5("h", 0)));
        assertEquals("proxy host must not be blank", rejected(() -> Proxy.http(" ", 1)));
        assertEquals(
                "proxy username must not be empty",
                rejected(() -> Proxy.socks5("h", 1).withCredentials("", "p")));
        assertEquals(
                "SOCKS5 allows user names and passwords of at most 255 bytes",
                rejected(() -> Proxy.socks5("h", 1).withCredentials("u", "p".repeat(256))));
        assertThrows(NullPointerException.class, () -> Proxy.http("h", 1).withCredentials("u", null));
        assertEquals(
                "SOCKS5 sends user names and passwords as ASCII; this one has other characters",
                rejected(() -> Proxy.socks5("h", 1).withCredentials("jürgen", "p")));
        assertEquals(
                Optional.of("jürgen"),
                Proxy.http("h", 1).withCredentials("jürgen", "p").username());
        // SOCKS4a sends a user id alone
        assertEquals(
                Optional.of("ident"),
                Proxy.socks4a("h", 1).withCredentials("ident", null).username());
    }

    @Test
    void readsTheJvmsProxyProperties() {
        assertEquals(Optional.empty(), Proxy.fromProperties(Map.<String, String>of()::get));
        assertEquals(
                Optional.of(Proxy.socks5("gate", 1080)), Proxy.fromProperties(Map.of("socksProxyHost", "gate")::get));
        assertEquals(
                Optional.of(Proxy.socks5("gate", 9050).withCredentials("u", "p")),
                Proxy.fromProperties(Map.of(
                        "socksProxyHost", "gate",
                        "socksProxyPort", "9050",
                        "java.net.socks.username", "u",
                        "java.net.socks.password", "p")::get));
        assertEquals( // a user without a password: an empty one, not a crash
                Optional.of(Proxy.socks5("gate", 1080).withCredentials("u", "")),
                Proxy.fromProperties(Map.of("socksProxyHost", "gate", "java.net.socks.username", "u")::get));
        assertEquals(
                Optional.of(Proxy.http("web", 3128)),
                Proxy.fromProperties(Map.of("https.proxyHost", "web", "https.proxyPort", "3128")::get));
        assertEquals(
                "https.proxyPort must be a port from 1 to 65535, was \"x\"",
                rejected(() -> Proxy.fromProperties(Map.of("https.proxyHost", "web", "https.proxyPort", "x")::get)));
    }

    @Test
    void equalSettingsAreEqual() {
        assertEquals(
                Proxy.socks5("h", 1).withCredentials("u", "p"),
                Proxy.socks5("h", 1).withCredentials("u", "p"));
        assertEquals(Proxy.http("h", 1).hashCode(), Proxy.http("h", 1).hashCode());
        assertNotEquals(Proxy.socks5("h", 1), Proxy.socks4a("h", 1));
        assertNotEquals(Proxy.socks5("h", 1), Proxy.socks5("h", 1).withLocalResolution());
        assertNotEquals(
                Proxy.http("h", 1).withCredentials("u", "p"), Proxy.http("h", 1).withCredentials("u", "q"));
    }

    private static String rejected(Runnable setting) {
        return assertThrows(IllegalArgumentException.class, setting::run).getMessage();
    }
}
