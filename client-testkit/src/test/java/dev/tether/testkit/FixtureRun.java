/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.function.Consumer;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs a fixture test class through the JUnit launcher, as the build would, and returns how its one test failed. */
final class FixtureRun {
    private FixtureRun() {}

    /**
     * Runs {@code fixture}, which must hold one test, with {@code running} set to true meanwhile (fixtures skip
     * themselves when the build finds them on their own), and returns its failure messages.
     */
    static List<String> failures(Class<?> fixture, Consumer<Boolean> running) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        running.accept(true);
        try {
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectClass(fixture))
                                    .build(),
                            listener);
        } finally {
            running.accept(false);
        }
        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsFoundCount(), fixture + " has one test");
        return summary.getFailures().stream()
                .map(f -> String.valueOf(f.getException().getMessage()))
                .toList();
    }
}
