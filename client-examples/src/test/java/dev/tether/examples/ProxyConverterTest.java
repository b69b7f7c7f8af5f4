/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.proxy.Proxy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ProxyConverterTest {
    private final ProxyConverter converter = new ProxyConverter();

    @Test
    void readsEachForm() {
        assertEquals(Proxy.socks5("127.0.0.1", 1080), converter.convert("socks5://127.0.0.1:1080"));
        assertEquals(
                Proxy.socks5("gate.internal", 1080).withCredentials("reader", "p@ss:word"),
                converter.convert("socks5://reader:p%40ss%3Aword@gate.internal:1080"));
        assertEquals(
                Proxy.socks4a("gate", 1080).withCredentials("ident", null),
                converter.convert("socks4a://ident@gate:1080"));
        assertEquals(Proxy.http("::1", 3128), converter.convert("http://[::1]:3128"));
        assertEquals(
                Proxy.http("gate", 3128).withCredentials("reader", "secret"),
                converter.convert("HTTP://reader:secret@gate:3128/"));
    }

    @Test
    void aBadValueSaysWhichFormsWorkAndHidesThePassword() {
        String forms = "use socks5://[user:password@]host:port, socks4a://[user@]host:port or"
                + " http://[user:password@]host:port";
        assertEquals("invalid proxy 'gate:1080': " + forms, rejected("gate:1080"));
        assertEquals("invalid proxy 'ftp://gate:21': " + forms, rejected("ftp://gate:21"));
        assertEquals("invalid proxy 'socks5://gate': " + forms, rejected("socks5://gate"));
        assertEquals("invalid proxy 'http://u:***@gate:3128/x': " + forms, rejected("http://u:secret@gate:3128/x"));
        assertEquals(
                "invalid proxy 'http://reader@gate:3128': give user:password, or neither",
                rejected("http://reader@gate:3128"));
    }

    private String rejected(String text) {
        return assertThrows(TypeConversionException.class, () -> converter.convert(text))
                .getMessage();
    }
}
