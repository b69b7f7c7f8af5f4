/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every leak report Netty makes, so that {@link LeakDetectorExtension} can fail the test class.
 *
 * <p>Netty creates one instance per tracked resource type (reflectively, through
 * {@code io.netty.util.ResourceLeakDetectorFactory}) when the test JVM runs with
 * {@code -Dio.netty.customResourceLeakDetector=dev.tether.testing.RecordingLeakDetector}; the
 * surefire and failsafe argLine sets it. Reports are still logged by Netty as usual.
 *
 * @param <T> the tracked resource type
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    /** The system property through which Netty installs a custom detector. */
    static final String PROPERTY = "io.netty.customResourceLeakDetector";

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final List<RecordingLeakDetector<?>> INSTANCES = new CopyOnWriteArrayList<>();

    /** Called by Netty's factory for {@code newResourceLeakDetector(type, samplingInterval)}. */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        INSTANCES.add(this);
    }

    /**
     * Called by Netty's factory for {@code newResourceLeakDetector(type, samplingInterval, maxActive)}.
     * Netty no longer uses {@code maxActive}, so it is ignored here too.
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** Returns a snapshot of the reports recorded since the last {@link #clear()}, oldest first. */
    public static List<String> reports() {
        return List.copyOf(REPORTS);
    }

    /** Forgets all recorded reports. */
    public static void clear() {
        REPORTS.clear();
    }

    /** Returns true if this JVM was started with the property that makes Netty use this class. */
    static boolean isConfigured() {
        return RecordingLeakDetector.class.getName().equals(System.getProperty(PROPERTY));
    }

    /** Returns how many detectors Netty has created through this class so far. */
    static int instanceCount() {
        return INSTANCES.size();
    }

    /**
     * Makes every detector drain its queue of collected-but-unreleased resources now, which Netty
     * otherwise does only when it starts tracking a new resource of the same type.
     */
    static void drainAll() {
        for (RecordingLeakDetector<?> detector : INSTANCES) {
            drain(detector);
        }
    }

    @Override
    protected boolean needReport() {
        // record even when Netty's logger has ERROR switched off
        return true;
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
