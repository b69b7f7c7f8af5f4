/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.micrometer;

import dev.tether.ClientConfig;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the Micrometer binding's loopback tests share: client-core's {@link ClientFixture} (servers and clients
 * closed after each test), plus a fresh registry with a {@link TetherMetrics} on it, and readers for the meters of a
 * client by name.
 */
abstract class MetricsFixture extends ClientFixture {
    protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    protected final TetherMetrics metrics = TetherMetrics.of(registry);

    MetricsFixture(String namePrefix, ReconnectPolicy reconnect) {
        super(namePrefix, reconnect);
    }

    /** The fixture's config for {@code port}, a fresh {@link #name}, its metrics bound to {@link #registry}. */
    protected ClientConfig.Builder<String> metered(int port) {
        return config(port).metrics(metrics);
    }

    /** The count of the counter {@code meter} of the last client configured, with {@code tags} (key, value...). */
    protected double count(String meter, String... tags) {
        return count(registry, name, meter, tags);
    }

    /** The count of the counter {@code meter} of client {@code client} in {@code registry}. */
    protected static double count(MeterRegistry registry, String client, String meter, String... tags) {
        return registry.get(meter)
                .tag("client", client)
                .tags(tags)
                .functionCounter()
                .count();
    }

    /** The value of the gauge {@code meter} of the last client configured. */
    protected double gauge(String meter) {
        return registry.get(meter).tag("client", name).gauge().value();
    }

    /** The connect timer of the last client configured, for one outcome: success or failure. */
    protected Timer connectTimer(String outcome) {
        return registry.get("tether.connect.duration")
                .tag("client", name)
                .tag("outcome", outcome)
                .timer();
    }
}
