/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

class TetherSplitEnumeratorTest {
    private static List<EndpointSplit> splits(int n) {
        List<EndpointSplit> splits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            splits.add(new EndpointSplit(i, Endpoint.of("127.0.0.1", 9000 + i)));
        }
        return splits;
    }

    private static List<Integer> indices(TestingSplitEnumeratorContext<EndpointSplit> context, int reader) {
        var state = context.getSplitAssignments().get(reader);
        return state == null
                ? List.of()
                : state.getAssignedSplits().stream().map(EndpointSplit::index).toList();
    }

    private static boolean ended(TestingSplitEnumeratorContext<EndpointSplit> context, int reader) {
        var state = context.getSplitAssignments().get(reader);
        return state != null && state.hasReceivedNoMoreSplitsSignal();
    }

    @Test
    void assignsRoundRobinByIndexAsReadersRegister() {
        var context = new TestingSplitEnumeratorContext<EndpointSplit>(2);
        var enumerator = new TetherSplitEnumerator(context, true, splits(5));
        enumerator.start();

        context.registerReader(1, "localhost");
        enumerator.addReader(1);
        assertEquals(List.of(1, 3), indices(context, 1));
        assertTrue(ended(context, 1), "reader 1 holds all its splits, so it hears that no more come");
        assertEquals(List.of(), indices(context, 0));
        assertEquals(
                List.of(0, 2, 4),
                enumerator.snapshotState(1).unassigned().stream()
                        .map(EndpointSplit::index)
                        .toList());

        context.registerReader(0, "localhost");
        enumerator.addReader(0);
        assertEquals(List.of(0, 2, 4), indices(context, 0));
        assertTrue(ended(context, 0));
        assertEquals(List.of(), enumerator.snapshotState(2).unassigned());
    }

    @Test
    void unboundedNeverSignalsTheEnd() {
        var context = new TestingSplitEnumeratorContext<EndpointSplit>(1);
        var enumerator = new TetherSplitEnumerator(context, false, splits(3));
        context.registerReader(0, "localhost");
        enumerator.addReader(0);
        assertEquals(List.of(0, 1, 2), indices(context, 0));
        assertFalse(ended(context, 0));
    }

    @Test
    void splitsHandedBackGoToTheNextAttemptOfTheirOwner() {
        var context = new TestingSplitEnumeratorContext<EndpointSplit>(2);
        var enumerator = new TetherSplitEnumerator(context, true, List.of());
        List<EndpointSplit> lost = List.of(new EndpointSplit(1, Endpoint.of("127.0.0.1", 9001)));

        enumerator.addSplitsBack(lost, 1); // reader 1 failed, and has not come back yet
        assertEquals(lost, enumerator.snapshotState(1).unassigned());

        context.registerReader(1, "localhost");
        enumerator.addReader(1);
        assertEquals(List.of(1), indices(context, 1));
        assertTrue(ended(context, 1));
        assertEquals(List.of(), enumerator.snapshotState(2).unassigned());
    }

    @Test
    void aRestoredEnumeratorAssignsWhatItsCheckpointHeld() {
        var context = new TestingSplitEnumeratorContext<EndpointSplit>(1);
        TetherSource<String> source =
                TetherSource.builder().endpoint("127.0.0.1:9000").bounded(true).build();
        var enumerator = source.restoreEnumerator(context, new EnumeratorCheckpoint(splits(2)));
        context.registerReader(0, "localhost");
        enumerator.addReader(0);
        assertEquals(List.of(0, 1), indices(context, 0));
        assertTrue(ended(context, 0));
    }
}
