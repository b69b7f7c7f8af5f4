/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

    private static List<String> addresses(TestingSplitEnumeratorContext<EndpointSplit> context, int reader) {
        var state = context.getSplitAssignments().get(reader);
        return state == null
                ? List.of()
                : state.getAssignedSplits().stream()
                        .map(s -> s.index() + "@" + s.endpoint().address())
                        .toList();
    }

    private static TetherSplitEnumerator discovering(
            TestingSplitEnumeratorContext<EndpointSplit> context,
            EnumeratorCheckpoint state,
            Supplier<Collection<Endpoint>> discovery) {
        return new TetherSplitEnumerator(context, false, state, discovery, 1000);
    }

    @Test
    void discoveredEndpointsAreAddedOnceAndSpreadByIndex() {
        var context = new TestingSplitEnumeratorContext<EndpointSplit>(2);
        List<Endpoint> found = new CopyOnWriteArrayList<>(List.of(Endpoint.of("127.0.0.1", 9000)));
        var enumerator = discovering(
                context, new EnumeratorCheckpoint(splits(1), Set.of("127.0.0.1:9000"), 1), () -> List.copyOf(found));
        context.registerReader(0, "localhost");
        context.registerReader(1, "localhost");
        enumerator.start();
        enumerator.addReader(0);
        enumerator.addReader(1);
        assertEquals(List.of("0@127.0.0.1:9000"), addresses(context, 0));

        context.triggerAllActions(); // the first call: nothing new
        assertEquals(List.of("0@127.0.0.1:9000"), addresses(context, 0));
        assertEquals(List.of(), addresses(context, 1));

        // two new endpoints, one of them twice, and a known one with another on-connect line
        found.add(Endpoint.of("127.0.0.1", 9001));
        found.add(Endpoint.of("127.0.0.1", 9002));
        found.add(Endpoint.of("127.0.0.1", 9001));
        found.add(Endpoint.of("127.0.0.1", 9000).withOnConnect("AGAIN"));
        context.triggerAllActions();
        assertEquals(List.of("0@127.0.0.1:9000", "2@127.0.0.1:9002"), addresses(context, 0));
        assertEquals(List.of("1@127.0.0.1:9001"), addresses(context, 1));
        assertFalse(ended(context, 0), "a discovering source never ends");

        context.triggerAllActions(); // the same answer again: nothing re-added
        assertEquals(List.of("0@127.0.0.1:9000", "2@127.0.0.1:9002"), addresses(context, 0));
        assertEquals(List.of("1@127.0.0.1:9001"), addresses(context, 1));
    }

    @Test
    void aDiscoveryThatThrowsIsLoggedAndTriedAgain() {
        Logger logger = (Logger) LoggerFactory.getLogger(TetherSplitEnumerator.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            var context = new TestingSplitEnumeratorContext<EndpointSplit>(1);
            AtomicInteger calls = new AtomicInteger();
            var enumerator = discovering(context, new EnumeratorCheckpoint(List.of()), () -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("registry down");
                }
                return List.of(Endpoint.of("127.0.0.1", 9005));
            });
            context.registerReader(0, "localhost");
            enumerator.start();
            enumerator.addReader(0);

            context.triggerAllActions();
            assertEquals(1, calls.get());
            assertEquals(List.of(), addresses(context, 0));
            ILoggingEvent warning = appender.list.stream()
                    .filter(e -> e.getLevel() == Level.WARN)
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    "Tether source: endpoint discovery failed, trying again in 1000 ms", warning.getFormattedMessage());
            assertEquals("registry down", warning.getThrowableProxy().getMessage());

            context.triggerAllActions(); // the next interval
            assertEquals(2, calls.get());
            assertEquals(List.of("0@127.0.0.1:9005"), addresses(context, 0));
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void theKnownEndpointsSurviveSnapshotAndRestore() throws Exception {
        var context = new TestingSplitEnumeratorContext<EndpointSplit>(2);
        List<Endpoint> found = List.of(Endpoint.of("127.0.0.1", 9001), Endpoint.of("127.0.0.1", 9002));
        TetherSource<String> source = TetherSource.builder()
                .endpoint("127.0.0.1:9000")
                .discovery(() -> found, Duration.ofSeconds(1))
                .build();
        var enumerator = source.createEnumerator(context);
        context.registerReader(0, "localhost"); // reader 1 is not there yet: split 1 stays unassigned
        enumerator.start();
        enumerator.addReader(0);
        context.triggerAllActions();
        assertEquals(List.of("0@127.0.0.1:9000", "2@127.0.0.1:9002"), addresses(context, 0));

        var serializer = source.getEnumeratorCheckpointSerializer();
        EnumeratorCheckpoint checkpoint =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(enumerator.snapshotState(1)));
        assertEquals(Set.of("127.0.0.1:9000", "127.0.0.1:9001", "127.0.0.1:9002"), checkpoint.known());
        assertEquals(3, checkpoint.nextIndex());

        // a restored enumerator, asked the same and then one more, adds only the new one, with the next index
        var after = new TestingSplitEnumeratorContext<EndpointSplit>(2);
        List<Endpoint> more = new ArrayList<>(found);
        more.add(Endpoint.of("127.0.0.1", 9003));
        TetherSource<String> again = TetherSource.builder()
                .endpoint("127.0.0.1:9000")
                .discovery(() -> more, Duration.ofSeconds(1))
                .build();
        var restored = again.restoreEnumerator(after, checkpoint);
        after.registerReader(0, "localhost");
        after.registerReader(1, "localhost");
        restored.start();
        restored.addReader(0);
        restored.addReader(1);
        after.triggerAllActions();
        assertEquals(List.of(), addresses(after, 0));
        assertEquals(List.of("1@127.0.0.1:9001", "3@127.0.0.1:9003"), addresses(after, 1));
        assertEquals(4, restored.snapshotState(2).nextIndex());
    }
}
