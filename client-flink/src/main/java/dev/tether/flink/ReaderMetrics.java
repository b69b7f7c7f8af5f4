/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import dev.tether.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * A reader's Tether metrics, in a {@code tether} subgroup of the reader's metric group: {@code messagesReceived},
 * {@code bytesReceived}, {@code reconnects} and {@code inboxMessages}, each summed over the reader's splits from their
 * clients' {@link dev.tether.TetherClient#stats() stats}.
 *
 * <p>One subgroup rather than four {@code tether}-prefixed names, so that reporters show them together, under
 * {@code <operator scope>.tether.<name>}, beside Flink's own source metrics. They are gauges: Tether counts, and Flink
 * reads the counts when a reporter asks. The three counts never go down: when a split ends, its last counts move into
 * a total for the finished splits, under the same lock the gauges read under. {@code inboxMessages} is a level: the
 * messages waiting in the open connections' inboxes, behind the window the reader takes ahead of Flink, as Tether
 * counts them: a socket read's batch at a time, so a batch stays counted until its last message is taken.
 *
 * <p>{@link #add} and {@link #finished} run on the task thread, the gauges on the reporters' threads.
 */
final class ReaderMetrics {
    static final String GROUP = "tether";
    static final String MESSAGES_RECEIVED = "messagesReceived";
    static final String BYTES_RECEIVED = "bytesReceived";
    static final String RECONNECTS = "reconnects";
    static final String INBOX_MESSAGES = "inboxMessages";

    private final List<SplitStream<?, ?>> open = new ArrayList<>(); // guarded by this
    private long finishedMessages; // guarded by this
    private long finishedBytes; // guarded by this
    private long finishedReconnects; // guarded by this

    /** Registers the gauges in a {@code tether} subgroup of {@code parent}. */
    void register(MetricGroup parent) {
        MetricGroup group = parent.addGroup(GROUP);
        group.gauge(MESSAGES_RECEIVED, (Gauge<Long>) this::messagesReceived);
        group.gauge(BYTES_RECEIVED, (Gauge<Long>) this::bytesReceived);
        group.gauge(RECONNECTS, (Gauge<Long>) this::reconnects);
        group.gauge(INBOX_MESSAGES, (Gauge<Long>) this::inboxMessages);
    }

    synchronized void add(SplitStream<?, ?> stream) {
        open.add(stream);
    }

    /** Moves an ended split's counts into the finished totals; before its client closes, while they are final. */
    synchronized void finished(SplitStream<?, ?> stream) {
        if (open.remove(stream)) {
            Stats stats = stream.stats();
            if (stats != null) {
                finishedMessages += stats.messagesReceived();
                finishedBytes += stats.bytesReceived();
                finishedReconnects += stats.reconnects();
            }
        }
    }

    synchronized long messagesReceived() {
        return finishedMessages + sum(Stats::messagesReceived);
    }

    synchronized long bytesReceived() {
        return finishedBytes + sum(Stats::bytesReceived);
    }

    synchronized long reconnects() {
        return finishedReconnects + sum(Stats::reconnects);
    }

    synchronized long inboxMessages() {
        return sum(Stats::inboxMessages);
    }

    private long sum(ToLongFunction<Stats> value) {
        long sum = 0;
        for (SplitStream<?, ?> stream : open) {
            Stats stats = stream.stats();
            if (stats != null) {
                sum += value.applyAsLong(stats);
            }
        }
        return sum;
    }
}
