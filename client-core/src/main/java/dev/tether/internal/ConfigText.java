/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;

/** How addresses appear in messages and {@code toString}. */
public final class ConfigText {
    private ConfigText() {}

    /** Returns {@code host:port}, with brackets around an IPv6 literal. */
    public static String hostAndPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Returns the addresses as {@code host:port}, comma-separated. */
    public static String hostsAndPorts(List<InetSocketAddress> addresses) {
        return addresses.stream().map(ConfigText::hostAndPort).collect(Collectors.joining(", "));
    }
}
