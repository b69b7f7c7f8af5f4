/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import dev.tether.ClientConfig;
import java.io.Serializable;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * What a {@link TetherSourceReader} needs from its source, travelling with it to the task managers.
 *
 * @param template makes the clients' settings
 * @param decoder turns frames into records
 * @param bounded whether a clean close ends a split
 * @param window how many messages per split the reader takes ahead of Flink
 * @param position reads a frame's position; null if the source is not resumable
 * @param resumeLine builds the on-connect line from a position; null if the source is not resumable
 * @param <F> the frame type
 * @param <T> the record type
 */
record ReaderSettings<F, T>(
        SerializableSupplier<ClientConfig.Builder<F>> template,
        RecordDecoder<F, T> decoder,
        boolean bounded,
        int window,
        SerializableFunction<F, String> position,
        ResumeLine resumeLine)
        implements Serializable {}
