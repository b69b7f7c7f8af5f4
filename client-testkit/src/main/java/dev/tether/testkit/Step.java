/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.IOException;

/** One step of a {@link Script}: what it does on a connection and how failure messages name it. */
final class Step {
    /** What a step does to the connection, which decides the steps that may follow it. */
    enum Kind {
        /** Writes to the client. */
        SEND,
        /** Reads from the client. */
        READ,
        /** Stops reading for good. */
        STOP_READING,
        /** Shuts down the server's output. */
        HALF_CLOSE,
        /** Waits, neither writing nor reading. */
        PAUSE,
        /** Starts answering the client's lines on a thread of its own, for the rest of the script. */
        REPLYING,
        /** Ends the script: nothing may follow. */
        END
    }

    /** The work of a step, run on the connection's thread. */
    @FunctionalInterface
    interface Action {
        void run(ScriptRun run) throws IOException, Mismatch;
    }

    private final String description;
    private final Kind kind;
    private final Action action;

    Step(String description, Kind kind, Action action) {
        this.description = description;
        this.kind = kind;
        this.action = action;
    }

    String description() {
        return description;
    }

    Kind kind() {
        return kind;
    }

    void run(ScriptRun run) throws IOException, Mismatch {
        action.run(run);
    }

    @Override
    public String toString() {
        return description;
    }
}
