/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void returnsTheFirstAcceptedValue() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(3, Await.value(calls::incrementAndGet, n -> n >= 3, WAIT, "three calls"));
    }

    @Test
    void waitsForAnotherThread() throws Exception {
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {});
        Await.until(other::isDone, WAIT, "the other thread");
        assertTrue(other.isDone());
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndTheLastValue() {
        AssertionError e = assertThrows(
                AssertionError.class, () -> Await.value(() -> "idle", "busy"::equals, Duration.ofMillis(20), "busy"));
        assertEquals("timed out after PT0.02S waiting for: busy (last value: idle)", e.getMessage());
        AssertionError condition =
                assertThrows(AssertionError.class, () -> Await.until(() -> false, Duration.ofMillis(20), "never"));
        assertEquals("timed out after PT0.02S waiting for: never", condition.getMessage());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        Thread.currentThread().interrupt();
        try {
            AssertionError e = assertThrows(AssertionError.class, () -> Await.until(() -> false, WAIT, "something"));
            assertEquals("interrupted while waiting for: something", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aTimeoutMustBePositive() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Await.until(() -> true, Duration.ZERO, "anything"));
        assertEquals("timeout must be > 0, was PT0S", e.getMessage());
    }
}
