/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.Serializable;

/**
 * Turns a frame into a record knowing which endpoint it came from, for jobs that need the source of each record (to
 * key by it, say) while one source reads many endpoints.
 *
 * @param <F> the frame type: {@code String} or {@code byte[]}
 * @param <T> the record type
 * @since 0.1
 */
@FunctionalInterface
public interface EndpointDeserializer<F, T> extends Serializable {
    /**
     * Returns the record for one frame. Runs on the task thread; an exception fails the task.
     *
     * @param endpoint the endpoint the frame came from
     * @param frame the frame, a line without its delimiter for example
     * @return the record, never null
     */
    T deserialize(Endpoint endpoint, F frame);
}
