/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One server a {@link TetherSource} reads: a host and port, and optionally a line to send on every connect (a
 * subscription, say).
 *
 * <pre>{@code
 * Endpoint quotes = Endpoint.of("127.0.0.1:9000").withOnConnect("SUBSCRIBE quotes");
 * }</pre>
 *
 * <p>Immutable. The host is resolved at each connect attempt, not here.
 *
 * @since 0.1
 */
public final class Endpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final String onConnect; // null: none

    private Endpoint(String host, int port, String onConnect) {
        this.host = host;
        this.port = port;
        this.onConnect = onConnect;
    }

    /**
     * Parses {@code host:port}; an IPv6 address goes in brackets, {@code [::1]:9000}.
     *
     * @param hostAndPort the host, a colon, and a port from 1 to 65535
     * @return the endpoint, with no on-connect line
     * @throws IllegalArgumentException if the text is not {@code host:port} or the port is out of range
     */
    public static Endpoint of(String hostAndPort) {
        Objects.requireNonNull(hostAndPort, "endpoint");
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("endpoint must be host:port, was \"" + hostAndPort + "\"");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(
                    "endpoint must be host:port with an IPv6 address in brackets, was \"" + hostAndPort + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint port must be a number, was \"" + hostAndPort + "\"", e);
        }
        return of(host, port);
    }

    /**
     * Creates an endpoint from a host and a port.
     *
     * @param host a host name or address literal; not empty
     * @param port 1 to 65535
     * @return the endpoint, with no on-connect line
     * @throws IllegalArgumentException if the host is empty or the port out of range
     */
    public static Endpoint of(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("endpoint host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "endpoint port must be 1 to 65535, was " + port + " (host " + host + ")");
        }
        return new Endpoint(host, port, null);
    }

    /**
     * Creates an endpoint from a socket address; a resolved address keeps only its literal address.
     *
     * @param address the address; resolved or not
     * @return the endpoint, with no on-connect line
     * @throws IllegalArgumentException if the port is 0
     */
    public static Endpoint of(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        String host = address.isUnresolved()
                ? address.getHostString()
                : address.getAddress().getHostAddress();
        return of(host, address.getPort());
    }

    /**
     * Returns a copy that sends {@code line} first on every connect and reconnect, before any message is read.
     *
     * @param line the line, without its delimiter; not empty
     * @return the new endpoint
     * @throws IllegalArgumentException if {@code line} is empty
     */
    public Endpoint withOnConnect(String line) {
        Objects.requireNonNull(line, "onConnect");
        if (line.isEmpty()) {
            throw new IllegalArgumentException("onConnect line must not be empty (endpoint " + address() + ")");
        }
        return new Endpoint(host, port, line);
    }

    /**
     * Returns the host, as given.
     *
     * @return the host name or address literal
     */
    public String host() {
        return host;
    }

    /**
     * Returns the port.
     *
     * @return 1 to 65535
     */
    public int port() {
        return port;
    }

    /**
     * Returns the line sent on every connect, if any.
     *
     * @return the line, or empty for none
     */
    public Optional<String> onConnect() {
        return Optional.ofNullable(onConnect);
    }

    /**
     * Returns {@code host:port}, with an IPv6 host in brackets: the form {@link #of(String)} reads.
     *
     * @return the address
     */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e
                && host.equals(e.host)
                && port == e.port
                && Objects.equals(onConnect, e.onConnect);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, onConnect);
    }

    /** Returns {@code host:port}, and whether an on-connect line is set (not the line: it may carry a secret). */
    @Override
    public String toString() {
        return address() + (onConnect == null ? "" : " (with on-connect line)");
    }
}
