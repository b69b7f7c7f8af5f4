/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.proxy.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --proxy} as a URL: {@code socks5://[user:password@]host:port}, {@code socks4a://[user@]host:port} or
 * {@code http://[user:password@]host:port}; user and password may be percent-encoded. A value it rejects is a usage
 * error (exit code 2) that says which form to use.
 */
final class ProxyConverter implements ITypeConverter<Proxy> {
    private static final String FORMS = "use socks5://[user:password@]host:port, socks4a://[user@]host:port"
            + " or http://[user:password@]host:port";

    @Override
    public Proxy convert(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalid(text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null
                || port < 1
                || (uri.getPath() != null
                        && !uri.getPath().isEmpty()
                        && !uri.getPath().equals("/"))) {
            throw invalid(text);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        Proxy proxy = switch (scheme) {
            case "socks5", "socks5h" -> Proxy.socks5(host, port);
            case "socks4a", "socks4" -> Proxy.socks4a(host, port);
            case "http" -> Proxy.http(host, port);
            default -> throw invalid(text);
        };
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return proxy;
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        if (password == null && proxy.type() != Proxy.Type.SOCKS4A) {
            throw new TypeConversionException("invalid proxy '" + redact(text) + "': give user:password, or neither");
        }
        try {
            return proxy.withCredentials(user, password);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("invalid proxy '" + redact(text) + "': " + e.getMessage());
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static TypeConversionException invalid(String text) {
        return new TypeConversionException("invalid proxy '" + redact(text) + "': " + FORMS);
    }

    /** The value without its password, for messages. */
    private static String redact(String text) {
        return text.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:***@");
    }
}
