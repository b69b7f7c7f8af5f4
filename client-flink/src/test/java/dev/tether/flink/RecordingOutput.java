/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;

/**
 * A reader output outside Flink that keeps every record with the split output it went through ({@code null} for the
 * reader's own output), and which split outputs were made and released, in order.
 */
final class RecordingOutput<T> implements ReaderOutput<T> {
    /** A record and the split whose output took it. */
    record Emitted<T>(String splitId, T record) {}

    final List<Emitted<T>> emitted = new ArrayList<>();
    final List<String> events = new ArrayList<>(); // "create <id>", "release <id>", "record <id>" (first of a split)
    private final Set<String> started = new HashSet<>();

    List<T> records() {
        return emitted.stream().map(Emitted::record).toList();
    }

    List<T> recordsOf(String splitId) {
        return emitted.stream()
                .filter(e -> Objects.equals(splitId, e.splitId()))
                .map(Emitted::record)
                .toList();
    }

    @Override
    public void collect(T record) {
        emitted.add(new Emitted<>(null, record));
    }

    @Override
    public void collect(T record, long timestamp) {
        collect(record);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<T> createOutputForSplit(String splitId) {
        events.add("create " + splitId);
        return new SourceOutput<>() {
            @Override
            public void collect(T record) {
                if (started.add(splitId)) {
                    events.add("record " + splitId);
                }
                emitted.add(new Emitted<>(splitId, record));
            }

            @Override
            public void collect(T record, long timestamp) {
                collect(record);
            }

            @Override
            public void emitWatermark(Watermark watermark) {}

            @Override
            public void markIdle() {}

            @Override
            public void markActive() {}
        };
    }

    @Override
    public void releaseOutputForSplit(String splitId) {
        events.add("release " + splitId);
    }

    /** Polls {@code reader} into {@code output} until it says the input ended, waiting when it has nothing. */
    static <T> void pollToEnd(TetherSourceReader<?, T> reader, ReaderOutput<T> output) throws Exception {
        InputStatus status;
        do {
            status = reader.pollNext(output);
            if (status == InputStatus.NOTHING_AVAILABLE) {
                reader.isAvailable().get();
            }
        } while (status != InputStatus.END_OF_INPUT);
    }
}
