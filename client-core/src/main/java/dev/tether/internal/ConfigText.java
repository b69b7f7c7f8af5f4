/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientConfig;

/** How addresses appear in messages and {@code toString}. */
public final class ConfigText {
    private ConfigText() {}

    /** Returns {@code host:port}, with brackets around an IPv6 literal. */
    public static String hostAndPort(ClientConfig<?> config) {
        String host = config.host();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + config.port();
    }
}
