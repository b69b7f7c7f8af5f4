/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import picocli.CommandLine.IVersionProvider;

/** Answers {@code --version} with the version in the jar's manifest. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        // run from target/classes (an IDE, the tests) there is no manifest to read it from
        return new String[] {"Tether examples " + (version != null ? version : "(development build)")};
    }
}
