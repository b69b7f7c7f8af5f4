/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (servers, proxies, clients, sockets), closed in reverse order after it: a client before the
 * server it talks to.
 */
public final class Resources {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Remembers {@code resource} to close later and returns it. */
    public <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Closes everything tracked, last opened first, and forgets it. */
    public void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}
