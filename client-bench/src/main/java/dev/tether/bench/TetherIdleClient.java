/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.ClientConfig;
import dev.tether.TetherClient;
import dev.tether.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@link TetherClient} with the README's defaults (its own I/O threads, reconnect, keepalive, lines of up to
 * 64 KiB) and a message handler, as a user holding many connections writes it. Every connection comes from the one
 * client.
 *
 * <p>All connections start at the first target: {@code remoteAddresses} rotates within one connection's attempts,
 * not across connections, so one client cannot spread its connections over several server addresses.
 */
final class TetherIdleClient implements IdleClient {
    private final TetherClient<String> client;

    TetherIdleClient(String name, Transport transport, int ioThreads, List<InetSocketAddress> targets) {
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddresses(targets)
                .name(name)
                .eventLoops(ioThreads, transport)
                .handler((connection, line) -> {}) // idle: nothing arrives
                .build();
        this.client = TetherClient.create(config);
    }

    @Override
    public String transport() {
        return client.transport().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public CompletableFuture<Object> connect(int index) {
        return client.connect().thenApply(connection -> connection);
    }

    @Override
    public void closeAll() throws Exception {
        // what close() waits on, without its bound of twice the close timeout, so a slow close is measured, not cut
        client.closeAsync().get(5, TimeUnit.MINUTES);
    }
}
