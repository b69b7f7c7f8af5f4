/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.proxy;

import dev.tether.internal.ConfigText;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A proxy the client reaches its servers through: SOCKS5 (without authentication, or with a user name and password),
 * SOCKS4a, or an HTTP proxy's {@code CONNECT} (with basic authentication or without). Set it with {@code
 * ClientConfig.Builder.proxy(Proxy)}; every connect and reconnect, to every endpoint, then goes through it.
 *
 * <p>By default the proxy resolves the server's host name, not the client, which may not be able to resolve internal
 * names; {@link #withLocalResolution()} resolves it on the client and sends the address. TLS, when set, runs through
 * the tunnel with the server, and checks the server's name, never the proxy's. The connect timeout covers the TCP
 * connect to the proxy and the proxy's handshake together. Immutable.
 *
 * <pre>{@code
 * Proxy.socks5("127.0.0.1", 1080);
 * Proxy.socks5("proxy.internal", 1080).withCredentials("reader", "secret");
 * Proxy.http("proxy.internal", 3128).withCredentials("reader", "secret");
 * }</pre>
 *
 * @since 0.1
 */
public final class Proxy {
    /** The proxy protocols. */
    public enum Type {
        /** SOCKS version 5 (RFC 1928), with user name and password authentication (RFC 1929) when given. */
        SOCKS5,
        /** SOCKS version 4a: SOCKS 4 that can send a host name; a user id instead of credentials. */
        SOCKS4A,
        /** An HTTP proxy's {@code CONNECT} method, with basic authentication when given. */
        HTTP;

        /** {@return the name used in messages: {@code SOCKS5}, {@code SOCKS4a}, {@code HTTP}} */
        public String label() {
            return this == SOCKS4A ? "SOCKS4a" : name();
        }
    }

    private final Type type;
    private final InetSocketAddress address; // unresolved: resolved at each connect
    private final String username; // null: none
    private final String password; // null: none; SOCKS4a sends the user name only
    private final boolean localResolution;

    private Proxy(Type type, InetSocketAddress address, String username, String password, boolean localResolution) {
        this.type = type;
        this.address = address;
        this.username = username;
        this.password = password;
        this.localResolution = localResolution;
    }

    private static Proxy of(Type type, String host, int port) {
        Objects.requireNonNull(host, "proxy host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("proxy host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be in 1..65535, was " + port);
        }
        return new Proxy(type, InetSocketAddress.createUnresolved(host, port), null, null, false);
    }

    /**
     * A SOCKS5 proxy, without authentication until {@link #withCredentials} adds some.
     *
     * @param host the proxy's host name or address
     * @param port 1 to 65535
     * @return the proxy
     */
    public static Proxy socks5(String host, int port) {
        return of(Type.SOCKS5, host, port);
    }

    /**
     * A SOCKS4a proxy; {@link #withCredentials} sets the user id it is sent (the password is not used).
     *
     * @param host the proxy's host name or address
     * @param port 1 to 65535
     * @return the proxy
     */
    public static Proxy socks4a(String host, int port) {
        return of(Type.SOCKS4A, host, port);
    }

    /**
     * An HTTP proxy, asked to {@code CONNECT} to the server; without authentication until {@link #withCredentials}
     * adds some.
     *
     * @param host the proxy's host name or address
     * @param port 1 to 65535
     * @return the proxy
     */
    public static Proxy http(String host, int port) {
        return of(Type.HTTP, host, port);
    }

    /**
     * Reads the JVM's standard proxy settings: {@code socksProxyHost} and {@code socksProxyPort} (default 1080, with
     * {@code java.net.socks.username} and {@code java.net.socks.password}) for SOCKS5, else {@code https.proxyHost}
     * and {@code https.proxyPort} (default 443) for an HTTP proxy. Read when called, not at each connect.
     *
     * @return the proxy they name, or empty if they name none
     * @throws IllegalArgumentException if a port property is not a number from 1 to 65535
     */
    public static Optional<Proxy> fromSystemProperties() {
        return fromProperties(System::getProperty);
    }

    /** {@link #fromSystemProperties()} on any source of properties, for tests. */
    static Optional<Proxy> fromProperties(UnaryOperator<String> properties) {
        String socks = properties.apply("socksProxyHost");
        if (socks != null && !socks.isBlank()) {
            Proxy proxy = socks5(socks, port(properties, "socksProxyPort", 1080));
            String user = properties.apply("java.net.socks.username");
            return Optional.of(
                    user == null
                            ? proxy
                            : proxy.withCredentials(
                                    user, Objects.requireNonNullElse(properties.apply("java.net.socks.password"), "")));
        }
        String https = properties.apply("https.proxyHost");
        if (https != null && !https.isBlank()) {
            return Optional.of(http(https, port(properties, "https.proxyPort", 443)));
        }
        return Optional.empty();
    }

    private static int port(UnaryOperator<String> properties, String name, int fallback) {
        String value = properties.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a port from 1 to 65535, was \"" + value + "\"");
    }

    /**
     * Authenticates with a user name and password: RFC 1929 for SOCKS5, basic authentication for HTTP; SOCKS4a sends
     * the user name as its user id.
     *
     * @param username the user name; not empty
     * @param password the password; may be empty, or null for SOCKS4a
     * @return a new proxy
     * @throws IllegalArgumentException if the user name is empty; for SOCKS, if either is not ASCII (the protocol's
     *     encoders send nothing else faithfully), or for SOCKS5 over 255 characters
     */
    public Proxy withCredentials(String username, String password) {
        Objects.requireNonNull(username, "username");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("proxy username must not be empty");
        }
        if (type != Type.SOCKS4A) {
            Objects.requireNonNull(password, "password");
        }
        if (type != Type.HTTP
                && !(StandardCharsets.US_ASCII.newEncoder().canEncode(username)
                        && (password == null
                                || StandardCharsets.US_ASCII.newEncoder().canEncode(password)))) {
            throw new IllegalArgumentException(
                    type.label() + " sends user names and passwords as ASCII; this one has other characters");
        }
        if (type == Type.SOCKS5 && (username.length() > 255 || password.length() > 255)) {
            throw new IllegalArgumentException("SOCKS5 allows user names and passwords of at most 255 bytes");
        }
        return new Proxy(type, address, username, password, localResolution);
    }

    /**
     * Resolves the server's host name on the client, and sends the proxy the address, instead of letting the proxy
     * resolve it (the default). SOCKS4a then works as plain SOCKS 4.
     *
     * @return a new proxy
     */
    public Proxy withLocalResolution() {
        return new Proxy(type, address, username, password, true);
    }

    /** {@return the protocol} */
    public Type type() {
        return type;
    }

    /** {@return the proxy's address, unresolved: the client resolves it at each connect} */
    public InetSocketAddress address() {
        return address;
    }

    /** {@return the user name, if the proxy authenticates} */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** {@return the password, if one was given} */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** {@return whether the client resolves the server's name itself, rather than the proxy} */
    public boolean resolvesLocally() {
        return localResolution;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proxy other
                && type == other.type
                && address.equals(other.address)
                && Objects.equals(username, other.username)
                && Objects.equals(password, other.password)
                && localResolution == other.localResolution;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, address, username, password, localResolution);
    }

    /** {@return for example {@code SOCKS5 proxy proxy.internal:1080 (user reader)}; never the password} */
    @Override
    public String toString() {
        return type.label() + " proxy " + ConfigText.hostAndPort(address)
                + (username != null ? " (user " + username + ")" : "")
                + (localResolution ? " (resolving locally)" : "");
    }
}
