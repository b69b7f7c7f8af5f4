/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

/** Guards shared by the public entry points. */
final class Checks {
    private Checks() {}

    /** Throws if the calling thread is one of {@code group}'s, where blocking would deadlock the loop it waits on. */
    static void notOnEventLoop(EventLoopGroup group, String what) {
        if (ThreadExecutorMap.currentExecutor() == null) {
            return; // not a Netty event loop at all: the common case, answered without walking the group
        }
        for (EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                throw new IllegalStateException(what + " would block I/O thread "
                        + Thread.currentThread().getName()
                        + ", which must not block (it may be the thread that has to complete it); "
                        + "use thenAccept/whenComplete or call from another thread");
            }
        }
    }
}
