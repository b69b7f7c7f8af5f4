/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;

/**
 * Spreads the endpoint splits over the readers: split {@code i} belongs to subtask {@code i % parallelism}, and goes
 * to it once that reader has registered. So the spread does not depend on the order in which readers register, and
 * a reader that fails and comes back gets the same endpoints back.
 *
 * <p>Every method runs on Flink's coordinator thread, so the fields need no locking.
 */
final class TetherSplitEnumerator implements SplitEnumerator<EndpointSplit, EnumeratorCheckpoint> {
    private final SplitEnumeratorContext<EndpointSplit> context;
    private final boolean bounded;
    private final List<EndpointSplit> unassigned;
    // readers told that no more splits come, since they last registered
    private final Set<Integer> finishedReaders = new HashSet<>();

    TetherSplitEnumerator(
            SplitEnumeratorContext<EndpointSplit> context, boolean bounded, List<EndpointSplit> unassigned) {
        this.context = context;
        this.bounded = bounded;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {
        // splits are pushed when readers register; endpoint discovery will hook in here
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // readers never ask: every split they will get is pushed to them
    }

    @Override
    public void addSplitsBack(List<EndpointSplit> splits, int subtaskId) {
        // a reader failed before checkpointing these; they go to its successor when that one registers
        unassigned.addAll(splits);
        assignUnassigned();
    }

    @Override
    public void addReader(int subtaskId) {
        finishedReaders.remove(subtaskId); // a new attempt of that subtask: it must hear the end again
        assignUnassigned();
    }

    @Override
    public EnumeratorCheckpoint snapshotState(long checkpointId) {
        return new EnumeratorCheckpoint(unassigned);
    }

    @Override
    public void close() {
        // holds no resources
    }

    static int owner(EndpointSplit split, int parallelism) {
        return split.index() % parallelism;
    }

    private void assignUnassigned() {
        int parallelism = context.currentParallelism();
        Set<Integer> registered = context.registeredReaders().keySet();
        Map<Integer, List<EndpointSplit>> assignment = new HashMap<>();
        for (Iterator<EndpointSplit> it = unassigned.iterator(); it.hasNext(); ) {
            EndpointSplit split = it.next();
            int owner = owner(split, parallelism);
            if (registered.contains(owner)) {
                assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
                it.remove();
            }
        }
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (bounded) {
            for (int reader : registered) {
                if (!finishedReaders.contains(reader) && !ownsUnassigned(reader, parallelism)) {
                    context.signalNoMoreSplits(reader);
                    finishedReaders.add(reader);
                }
            }
        }
    }

    private boolean ownsUnassigned(int reader, int parallelism) {
        for (EndpointSplit split : unassigned) {
            if (owner(split, parallelism) == reader) {
                return true;
            }
        }
        return false;
    }
}
