/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import dev.tether.ConnectionEvent;
import dev.tether.ConnectionListener;
import dev.tether.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that records every event it receives, for assertions. */
public final class RecordingListener implements ConnectionListener {
    private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ConnectionEvent event) {
        events.add(event);
    }

    /** Returns the events so far, in order. */
    public List<ConnectionEvent> events() {
        return List.copyOf(events);
    }

    /** Returns the events of one kind so far, in order. */
    public <E extends ConnectionEvent> List<E> events(Class<E> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Waits for the first event of a kind and returns it. */
    public <E extends ConnectionEvent> E await(Class<E> kind, Duration timeout) {
        Await.until(() -> !events(kind).isEmpty(), timeout, "a " + kind.getSimpleName() + " in " + events);
        return events(kind).get(0);
    }

    /** Returns the simple class names of the events so far, in order. */
    public List<String> kinds() {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }
}
