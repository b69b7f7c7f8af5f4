/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** The checks of the {@link ClientConfig.Builder} setters; each message names the setting and the value. */
final class ConfigChecks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ConfigChecks() {}

    static InetSocketAddress address(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("remoteAddress host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("remoteAddress port must be in 1..65535, was " + port);
        }
        return InetSocketAddress.createUnresolved(host.strip(), port);
    }

    static List<InetSocketAddress> addresses(List<InetSocketAddress> addresses) {
        Objects.requireNonNull(addresses, "remoteAddresses");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("remoteAddresses must not be empty");
        }
        List<InetSocketAddress> copy = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            Objects.requireNonNull(address, "remoteAddresses element");
            copy.add(address(address.getHostString(), address.getPort()));
        }
        return List.copyOf(copy);
    }

    static Duration positiveMillis(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
        if (value.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(name + " must be <= " + Integer.MAX_VALUE + " ms, was " + value);
        }
        return value;
    }

    static int ioThreads(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("eventLoops threads must be in 1..256, was " + threads);
        }
        return threads;
    }

    static String name(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "name must be 1 to 64 characters from A-Z a-z 0-9 . _ -, was \"" + name + "\"");
        }
        return name;
    }

    static int inboxMessages(int messages) {
        if (messages < 1 || messages > 1 << 20) {
            throw new IllegalArgumentException("inboxCapacity must be in 1..1048576 messages, was " + messages);
        }
        return messages;
    }

    static long inboxBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("inboxCapacity bytes must be >= 1, was " + bytes);
        }
        return bytes;
    }
}
