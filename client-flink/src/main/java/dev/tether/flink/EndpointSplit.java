/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The unit of work of a {@link TetherSource}: one {@link Endpoint}, read by one connection of one reader, and how
 * far it was read.
 *
 * <p>Its id is {@code <index>@<host>:<port>}, the index being the endpoint's position in the source's list, so two
 * endpoints on one server (different subscriptions, say) are two splits. Its {@linkplain #position() position} is
 * the one a {@linkplain TetherSource.Builder#resume resumable} source last emitted, as a checkpoint records it.
 * Immutable.
 *
 * @since 0.1
 */
public final class EndpointSplit implements SourceSplit {
    private final int index;
    private final Endpoint endpoint;
    private final String position; // null: none yet

    /**
     * Creates a split.
     *
     * @param index the endpoint's position in the source, 0 or more; it spreads the splits over the readers
     * @param endpoint the endpoint
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public EndpointSplit(int index, Endpoint endpoint) {
        if (index < 0) {
            throw new IllegalArgumentException("split index must be >= 0, was " + index);
        }
        this.index = index;
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.position = null;
    }

    private EndpointSplit(int index, Endpoint endpoint, String position) {
        this.index = index;
        this.endpoint = endpoint;
        this.position = position;
    }

    /**
     * Returns this split at another position.
     *
     * @param position the position of the last record emitted from this endpoint, or null for none
     * @return a split with this one's index and endpoint
     */
    public EndpointSplit withPosition(String position) {
        return Objects.equals(position, this.position) ? this : new EndpointSplit(index, endpoint, position);
    }

    /**
     * Returns the position of the last record emitted from this endpoint, as the source's position function read
     * it from the record's frame; empty when the source is not resumable or nothing with a position was emitted.
     *
     * @return the position
     */
    public Optional<String> position() {
        return Optional.ofNullable(position);
    }

    /**
     * Returns the endpoint's position in the source.
     *
     * @return 0 or more
     */
    public int index() {
        return index;
    }

    /**
     * Returns the endpoint this split reads.
     *
     * @return the endpoint
     */
    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Returns {@code <index>@<host>:<port>}.
     *
     * @return the id, unique within one source
     */
    @Override
    public String splitId() {
        return index + "@" + endpoint.address();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointSplit s
                && index == s.index
                && endpoint.equals(s.endpoint)
                && Objects.equals(position, s.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, endpoint, position);
    }

    @Override
    public String toString() {
        return "EndpointSplit{" + index + ", " + endpoint + (position == null ? "" : ", position=" + position) + "}";
    }
}
