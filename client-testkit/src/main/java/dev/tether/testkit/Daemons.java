/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The daemon threads of a {@link FaultProxy}, kept so that closing it can wait for every one to end. */
final class Daemons {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Starts a daemon thread named {@code name} running {@code body}. */
    Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    /**
     * Interrupts every thread, since one may be waiting out a latency or the bandwidth cap, and waits for them to
     * end, up to {@code timeout} in all, as {@link Net#joinAll} does (an interrupted caller still waits).
     *
     * @return the names of the threads still alive after that, if any
     */
    List<String> interruptAndJoin(Duration timeout) {
        threads.forEach(Thread::interrupt);
        return Net.joinAll(threads, timeout);
    }
}
