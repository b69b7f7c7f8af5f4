/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer or other resource while it ran.
 *
 * <p>Registered for every test class through {@code META-INF/services} and
 * {@code junit.jupiter.extensions.autodetection.enabled}. After the class's tests it forces garbage
 * collection and makes Netty's detectors look for collected-but-unreleased resources, then fails
 * with every report that {@link RecordingLeakDetector} recorded. It does nothing when that detector
 * is not configured, for example in an IDE run without the surefire argLine.
 */
public final class LeakDetectorExtension implements AfterAllCallback {
    private static final int GC_ROUNDS = 3;
    private static final Duration GC_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public void afterAll(ExtensionContext context) {
        if (!RecordingLeakDetector.isConfigured()) {
            return;
        }
        for (int i = 0; i < GC_ROUNDS; i++) {
            collectGarbage();
        }
        // Netty reports a leak only when it next tracks a resource of the same type
        allocateAndRelease(PooledByteBufAllocator.DEFAULT);
        allocateAndRelease(UnpooledByteBufAllocator.DEFAULT);
        allocateAndRelease(ByteBufAllocator.DEFAULT);
        RecordingLeakDetector.drainAll();

        if (RecordingLeakDetector.instanceCount() == 0) {
            throw new AssertionError("-D" + RecordingLeakDetector.PROPERTY
                    + " names RecordingLeakDetector but Netty did not create one; see Netty's error log");
        }
        List<String> reports = RecordingLeakDetector.reports();
        RecordingLeakDetector.clear();
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " leak report(s) during " + context.getDisplayName() + ":\n"
                    + String.join("\n\n", reports));
        }
    }

    /** Runs GC until a fresh weakly reachable sentinel has been enqueued, so earlier garbage was seen. */
    private static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        Await.until(
                () -> {
                    System.gc();
                    return queue.poll() == sentinel;
                },
                GC_TIMEOUT,
                "garbage collection to clear a sentinel weak reference");
    }

    private static void allocateAndRelease(ByteBufAllocator allocator) {
        ByteBuf heap = allocator.heapBuffer(16);
        heap.release();
        ByteBuf direct = allocator.directBuffer(16);
        direct.release();
    }
}
