/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The unit of work of a {@link TetherSource}: one {@link Endpoint}, read by one connection of one reader.
 *
 * <p>Its id is {@code <index>@<host>:<port>}, the index being the endpoint's position in the source's list, so two
 * endpoints on one server (different subscriptions, say) are two splits. Immutable.
 *
 * @since 0.1
 */
public final class EndpointSplit implements SourceSplit {
    private final int index;
    private final Endpoint endpoint;

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
        return o instanceof EndpointSplit s && index == s.index && endpoint.equals(s.endpoint);
    }

    @Override
    public int hashCode() {
        return 31 * index + endpoint.hashCode();
    }

    @Override
    public String toString() {
        return "EndpointSplit{" + index + ", " + endpoint + "}";
    }
}
