/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientException;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Guards shared by the public entry points. */
final class Checks {
    private Checks() {}

    /**
     * Returns {@code timeout} in nanoseconds, capped at {@link Long#MAX_VALUE} (about 292 years) instead of
     * overflowing, so that "wait for ever" written as a huge duration works.
     */
    static long cappedNanos(Duration timeout) {
        return timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
    }

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

    /**
     * The blocking {@code close()} of a client or connection: waits up to {@code wait} for {@code closed}, from a
     * thread that is not one of {@code group}'s; {@code what} names the thing closing in messages ("connection c#1").
     *
     * @throws ClientException if interrupted (the flag is set again), or if closing failed or took longer
     */
    static void awaitClose(EventLoopGroup group, Future<?> closed, Duration wait, String what) {
        notOnEventLoop(group, what + ": close()");
        try {
            closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted while closing " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ClientException(what + " did not finish closing within " + wait.toMillis() + " ms", e);
        }
    }
}
