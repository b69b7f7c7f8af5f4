/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test which leaked a Netty buffer, and nothing else: the buffer leak check of
 * {@link TetherTestExtension} without its servers and its thread check.
 *
 * <p>It suits a whole test suite, including tests that keep a client or a server open across a class, so it can be
 * registered for every test class through JUnit's extension auto-detection: a file
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} in the test resources containing
 * {@code dev.tether.testkit.LeakCheck}, and {@code junit.jupiter.extensions.autodetection.enabled=true} in
 * {@code junit-platform.properties}. Or per class:
 *
 * <pre>{@code
 * @ExtendWith(LeakCheck.class)
 * class CodecTest { ... }
 * }</pre>
 *
 * <p>After each test, and after its {@code @AfterEach} methods, it runs garbage collection, makes Netty report the
 * collected buffers that were never released, and fails the test with the reports made since the test started,
 * each with Netty's access records. After the class it does the same for what the class-level methods leaked and
 * what was collected late. Each report fails one test or class only, also when a test
 * uses both extensions. Like {@link TetherTestExtension} it needs the test JVM to run with
 * {@code -Dio.netty.customResourceLeakDetector=dev.tether.testkit.RecordingLeakDetector} and
 * {@code -Dio.netty.leakDetection.level=paranoid}; without the first it logs a warning once and checks nothing.
 * When the property names the detector but Netty did not install it, it fails instead of passing silently.
 *
 * @since 0.1
 */
public final class LeakCheck implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);
    private static final String MARK = "leakMark";

    /** Creates the extension; the form {@code @ExtendWith} and auto-detection use. */
    public LeakCheck() {}

    /**
     * Notes the leak reports so far, so that the class's own count.
     *
     * @param context the class's context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(MARK, RecordingLeakDetector.reportCount());
    }

    /**
     * Notes the leak reports so far, so that only the test's own count.
     *
     * @param context the test's context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(MARK, RecordingLeakDetector.reportCount());
    }

    /**
     * Fails the test if Netty reported a leak since it started.
     *
     * @param context the test's context
     * @throws AssertionError listing every leak report
     */
    @Override
    public void afterEach(ExtensionContext context) {
        check(context);
    }

    /**
     * Fails the class if Netty reported a leak since it started that no test's check reported: one in its
     * class-level methods, or one collected late.
     *
     * @param context the class's context
     * @throws AssertionError listing every leak report
     */
    @Override
    public void afterAll(ExtensionContext context) {
        check(context);
    }

    private static void check(ExtensionContext context) {
        Integer stored = context.getStore(NAMESPACE).remove(MARK, Integer.class);
        int mark = stored == null ? 0 : stored;
        List<String> reports = TetherTestExtension.leakReports(mark);
        if (RecordingLeakDetector.isConfigured() && RecordingLeakDetector.instanceCount() == 0) {
            throw new AssertionError("-D" + RecordingLeakDetector.PROPERTY + " names "
                    + RecordingLeakDetector.class.getName() + " but Netty did not install it; see Netty's error log");
        }
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " buffer leak report(s) after " + context.getDisplayName() + ":\n"
                    + String.join("\n\n", reports));
        }
    }
}
