/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the endpoint splits over the readers: split {@code i} belongs to subtask {@code i % parallelism}, and goes
 * to it once that reader has registered. So the spread does not depend on the order in which readers register, and
 * a reader that fails and comes back gets the same endpoints back.
 *
 * <p>With discovery, it calls the discovery function every interval on Flink's worker thread (through {@link
 * SplitEnumeratorContext#callAsync(java.util.concurrent.Callable, java.util.function.BiConsumer, long, long)}), and
 * back on the coordinator thread makes a split for each endpoint whose {@code host:port} it has not seen, with the
 * next free index. The same {@code index % parallelism} rule then places it: successive indices go to successive
 * subtasks, so discovered endpoints spread round-robin like the configured ones, and the owner of a split still does
 * not depend on when readers register or come back. The known {@code host:port} set and the next index are in the
 * checkpoint, so an endpoint found before a restore is not added twice after it. A discovery call that throws, or
 * returns null, is logged and tried again at the next interval.
 *
 * <p>Every method runs on Flink's coordinator thread, so the fields need no locking.
 */
final class TetherSplitEnumerator implements SplitEnumerator<EndpointSplit, EnumeratorCheckpoint> {
    private static final Logger log = LoggerFactory.getLogger(TetherSplitEnumerator.class);

    private final SplitEnumeratorContext<EndpointSplit> context;
    private final boolean bounded;
    private final List<EndpointSplit> unassigned;
    // readers told that no more splits come, since they last registered
    private final Set<Integer> finishedReaders = new HashSet<>();
    private final Set<String> known; // host:port of every endpoint with a split, assigned or not
    private final Supplier<? extends Collection<Endpoint>> discovery; // null: none
    private final long discoveryMillis;
    private int nextIndex;

    /** An enumerator without discovery, over the given splits. */
    TetherSplitEnumerator(
            SplitEnumeratorContext<EndpointSplit> context, boolean bounded, List<EndpointSplit> unassigned) {
        this(context, bounded, new EnumeratorCheckpoint(unassigned), null, 0);
    }

    /**
     * An enumerator starting from a checkpoint (or the source's configured splits), its unassigned splits counted as
     * known too.
     *
     * @param discovery null for none; else called every {@code discoveryMillis}, the first time at once
     */
    TetherSplitEnumerator(
            SplitEnumeratorContext<EndpointSplit> context,
            boolean bounded,
            EnumeratorCheckpoint state,
            Supplier<? extends Collection<Endpoint>> discovery,
            long discoveryMillis) {
        this.context = context;
        this.bounded = bounded;
        this.unassigned = new ArrayList<>(state.unassigned());
        this.known = new HashSet<>(state.known());
        this.nextIndex = state.nextIndex();
        for (EndpointSplit split : unassigned) {
            known.add(split.endpoint().address());
            nextIndex = Math.max(nextIndex, split.index() + 1);
        }
        this.discovery = discovery;
        this.discoveryMillis = discoveryMillis;
    }

    @Override
    public void start() {
        // splits are pushed when readers register; discovery runs off this thread and hands back here
        if (discovery != null) {
            context.callAsync(this::discover, this::discovered, 0, discoveryMillis);
        }
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
        return new EnumeratorCheckpoint(unassigned, known, nextIndex);
    }

    @Override
    public void close() {
        // holds no resources
    }

    /**
     * Calls the discovery function on Flink's worker thread. Never throws: a failure travels in the result, so that
     * no scheduler can take it for a reason to stop the periodic call.
     */
    private Discovered discover() {
        try {
            return new Discovered(discovery.get(), null);
        } catch (RuntimeException e) {
            return new Discovered(null, e);
        }
    }

    /** Adds and assigns the endpoints not seen before; on the coordinator thread. */
    private void discovered(Discovered result, Throwable error) {
        Throwable failure = error != null ? error : result.failure();
        if (failure != null) {
            log.warn("Tether source: endpoint discovery failed, trying again in {} ms", discoveryMillis, failure);
            return;
        }
        if (result.endpoints() == null) {
            log.warn("Tether source: endpoint discovery returned null, trying again in {} ms", discoveryMillis);
            return;
        }
        int added = 0;
        for (Endpoint endpoint : result.endpoints()) {
            if (endpoint == null) {
                log.warn("Tether source: endpoint discovery returned a null endpoint; skipped");
            } else if (known.add(endpoint.address())) {
                unassigned.add(new EndpointSplit(nextIndex++, endpoint));
                added++;
            }
        }
        if (added > 0) {
            log.info("Tether source: discovery found {} new endpoint(s)", added);
            assignUnassigned();
        }
    }

    /** What one discovery call gave: the endpoints, or why there are none. */
    private record Discovered(Collection<Endpoint> endpoints, Throwable failure) {}

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
