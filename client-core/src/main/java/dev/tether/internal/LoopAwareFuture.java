/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link CompletableFuture} that refuses to block one of the client's I/O threads: waiting there for a result
 * that the same thread must produce would hang forever, so it throws {@link IllegalStateException} instead.
 */
class LoopAwareFuture<T> extends CompletableFuture<T> {
    private final EventLoopGroup group;

    LoopAwareFuture(EventLoopGroup group) {
        this.group = group;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkBlocking();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkBlocking();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        checkBlocking();
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopAwareFuture<>(group);
    }

    private void checkBlocking() {
        if (!isDone()) {
            Checks.notOnEventLoop(group, "waiting for this future");
        }
    }
}
