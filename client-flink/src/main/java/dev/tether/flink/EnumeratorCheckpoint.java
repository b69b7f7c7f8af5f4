/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.List;

/**
 * What a {@link TetherSource}'s enumerator keeps in a checkpoint: the splits not yet assigned to a reader. The
 * assigned ones are in the readers' state.
 *
 * @since 0.1
 */
public final class EnumeratorCheckpoint {
    private final List<EndpointSplit> unassigned;

    /**
     * Creates the checkpoint.
     *
     * @param unassigned the splits no reader holds, in any order; copied
     */
    public EnumeratorCheckpoint(List<EndpointSplit> unassigned) {
        this.unassigned = List.copyOf(unassigned);
    }

    /**
     * Returns the splits no reader held at the checkpoint.
     *
     * @return an unmodifiable list; empty once every split was assigned
     */
    public List<EndpointSplit> unassigned() {
        return unassigned;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumeratorCheckpoint c && unassigned.equals(c.unassigned);
    }

    @Override
    public int hashCode() {
        return unassigned.hashCode();
    }

    @Override
    public String toString() {
        return "EnumeratorCheckpoint{unassigned=" + unassigned + "}";
    }
}
