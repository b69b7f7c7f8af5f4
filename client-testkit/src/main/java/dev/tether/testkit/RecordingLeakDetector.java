/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Netty leak detector that records every leak report, so that {@link TetherTestExtension} and {@link LeakCheck}
 * can fail the test.
 *
 * <p>Netty creates it, one instance per tracked resource type, when the test JVM runs with
 * {@code -Dio.netty.customResourceLeakDetector=dev.tether.testkit.RecordingLeakDetector}. Add
 * {@code -Dio.netty.leakDetection.level=paranoid} so that every buffer is tracked, not a sample. Reports are still
 * logged by Netty as usual. Tests never call it directly.
 *
 * @param <T> the tracked resource type
 * @since 0.1
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    /** The system property through which Netty installs a custom detector. */
    static final String PROPERTY = "io.netty.customResourceLeakDetector";

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final List<RecordingLeakDetector<?>> INSTANCES = new CopyOnWriteArrayList<>();
    private static final AtomicInteger TAKEN = new AtomicInteger();

    /**
     * Called by Netty's {@code ResourceLeakDetectorFactory}; not for direct use.
     *
     * @param resourceType the tracked type
     * @param samplingInterval Netty's sampling interval
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        INSTANCES.add(this);
    }

    /**
     * Called by Netty's {@code ResourceLeakDetectorFactory}; not for direct use. Netty no longer uses
     * {@code maxActive}, so it is ignored here too.
     *
     * @param resourceType the tracked type
     * @param samplingInterval Netty's sampling interval
     * @param maxActive ignored
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** Returns true if this JVM was started with the property that makes Netty use this class. */
    static boolean isConfigured() {
        return RecordingLeakDetector.class.getName().equals(System.getProperty(PROPERTY));
    }

    /** Returns how many detectors Netty has created through this class so far. */
    static int instanceCount() {
        return INSTANCES.size();
    }

    /** Returns how many reports were recorded so far; {@link #takeReportsSince} takes it as a mark. */
    static int reportCount() {
        return REPORTS.size();
    }

    /**
     * Returns the reports recorded after the {@code mark} that {@link #reportCount()} returned, leaving out those an
     * earlier call returned already, so that each leak fails one test, not also the enclosing class or a test that
     * ran the leaking one through the JUnit launcher.
     */
    static List<String> takeReportsSince(int mark) {
        List<String> all = List.copyOf(REPORTS);
        int from = Math.min(Math.max(mark, TAKEN.get()), all.size());
        TAKEN.accumulateAndGet(all.size(), Math::max);
        return all.subList(from, all.size());
    }

    /**
     * Makes every detector report its queue of collected-but-unreleased resources now, which Netty otherwise does
     * only when it next tracks a resource of the same type.
     */
    static void drainAll() {
        for (RecordingLeakDetector<?> detector : INSTANCES) {
            drain(detector);
        }
    }

    @Override
    protected boolean needReport() {
        return true; // record even when Netty's logger has ERROR switched off
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected."
                + " Recent access records:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected"
                + " (no access records at this leak detection level).");
        super.reportUntracedLeak(resourceType);
    }

    @SuppressWarnings("unchecked")
    private static <R> void drain(RecordingLeakDetector<R> detector) {
        // tracking forcibly reports queued leaks first; the probe itself is released at once
        R probe = (R) new Object();
        ResourceLeakTracker<R> tracker = detector.trackForcibly(probe);
        if (tracker != null) {
            tracker.close(probe);
        }
    }
}
