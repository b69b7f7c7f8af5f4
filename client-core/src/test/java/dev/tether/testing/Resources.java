/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test opened (servers, proxies, clients, sockets), closed in reverse order after it: a client before the
 * server it talks to; then it waits for the threads of every client named through {@link #clientName} to end.
 */
public final class Resources {
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final Duration THREADS_END = Duration.ofSeconds(10);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<String> clientNames = new ArrayList<>();

    /**
     * Returns a client name no other test in this JVM uses, {@code prefix} and a number; {@link #closeAll()} waits for
     * the threads of that client ({@code name-io-*}, {@code name-resolver-*}) to end.
     */
    public String clientName(String prefix) {
        String name = prefix + CLIENTS.incrementAndGet();
        clientNames.add(name);
        return name;
    }

    /** Remembers {@code resource} to close later and returns it. */
    public <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Closes everything tracked, last opened first, waits for the named clients' threads, and forgets it all. */
    public void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
        for (String name : clientNames) {
            Threads.awaitNone(name + "-", THREADS_END);
        }
        clientNames.clear();
    }
}
