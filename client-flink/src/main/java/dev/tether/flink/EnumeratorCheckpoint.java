/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link TetherSource}'s enumerator keeps in a checkpoint: the splits not yet assigned to a reader (the
 * assigned ones are in the readers' state), and, for {@linkplain TetherSource.Builder#discovery discovery}, the
 * {@code host:port} of every endpoint it has made a split for and the index the next new split gets.
 *
 * @since 0.1
 */
public final class EnumeratorCheckpoint {
    private final List<EndpointSplit> unassigned;
    private final Set<String> known;
    private final int nextIndex;

    /**
     * Creates the checkpoint of an enumerator without discovery: no known endpoints beyond the source's own, and the
     * next index after the highest unassigned one.
     *
     * @param unassigned the splits no reader holds, in any order; copied
     */
    public EnumeratorCheckpoint(List<EndpointSplit> unassigned) {
        this(
                unassigned,
                Set.of(),
                unassigned.stream().mapToInt(s -> s.index() + 1).max().orElse(0));
    }

    /**
     * Creates the checkpoint.
     *
     * @param unassigned the splits no reader holds, in any order; copied
     * @param known the {@code host:port} of every endpoint the enumerator has made a split for; copied
     * @param nextIndex the index the next discovered endpoint's split gets, 0 or more
     * @throws IllegalArgumentException if {@code nextIndex} is negative
     */
    public EnumeratorCheckpoint(List<EndpointSplit> unassigned, Set<String> known, int nextIndex) {
        if (nextIndex < 0) {
            throw new IllegalArgumentException("nextIndex must be >= 0, was " + nextIndex);
        }
        this.unassigned = List.copyOf(unassigned);
        this.known = Set.copyOf(Objects.requireNonNull(known, "known"));
        this.nextIndex = nextIndex;
    }

    /**
     * Returns the splits no reader held at the checkpoint.
     *
     * @return an unmodifiable list; empty once every split was assigned
     */
    public List<EndpointSplit> unassigned() {
        return unassigned;
    }

    /**
     * Returns the {@code host:port} of every endpoint the enumerator had made a split for, assigned or not.
     *
     * @return an unmodifiable set; empty in a checkpoint of version 1, which predates discovery
     */
    public Set<String> known() {
        return known;
    }

    /**
     * Returns the index the next discovered endpoint's split gets.
     *
     * @return 0 or more
     */
    public int nextIndex() {
        return nextIndex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumeratorCheckpoint c
                && unassigned.equals(c.unassigned)
                && known.equals(c.known)
                && nextIndex == c.nextIndex;
    }

    @Override
    public int hashCode() {
        return Objects.hash(unassigned, known, nextIndex);
    }

    @Override
    public String toString() {
        return "EnumeratorCheckpoint{unassigned=" + unassigned + ", known=" + new TreeSet<>(known) + ", nextIndex="
                + nextIndex + "}";
    }
}
