/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SerializersTest {
    private final EndpointSplit plain = new EndpointSplit(0, Endpoint.of("127.0.0.1", 9000));
    private final EndpointSplit subscribed = new EndpointSplit(
            7, Endpoint.of("[::1]:9001").withOnConnect("SUBSCRIBE prices ünïcode " + "x".repeat(70_000)));

    @Test
    void splitsRoundTrip() throws IOException {
        var serializer = EndpointSplitSerializer.INSTANCE;
        for (EndpointSplit split : List.of(plain, subscribed)) {
            EndpointSplit back = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
            assertEquals(split, back);
            assertEquals(split.splitId(), back.splitId());
        }
        assertEquals("7@[::1]:9001", subscribed.splitId());
    }

    @Test
    void enumeratorCheckpointsRoundTrip() throws IOException {
        var serializer = EnumeratorCheckpointSerializer.INSTANCE;
        for (EnumeratorCheckpoint checkpoint :
                List.of(new EnumeratorCheckpoint(List.of()), new EnumeratorCheckpoint(List.of(plain, subscribed)))) {
            assertEquals(checkpoint, serializer.deserialize(serializer.getVersion(), serializer.serialize(checkpoint)));
        }
    }

    @Test
    void aVersion3CheckpointKeepsTheKnownEndpointsTheNextIndexAndThePositions() throws IOException {
        var serializer = EnumeratorCheckpointSerializer.INSTANCE;
        assertEquals(3, serializer.getVersion());
        var checkpoint = new EnumeratorCheckpoint(
                List.of(subscribed.withPosition("seq 41"), plain),
                Set.of("127.0.0.1:9000", "[::1]:9001", "host-a:1"),
                12);
        assertEquals(checkpoint, serializer.deserialize(3, serializer.serialize(checkpoint)));
    }

    @Test
    void theEnumeratorsVersionFollowsTheSplitForm() {
        assertEquals(
                EndpointSplitSerializer.VERSION,
                EnumeratorCheckpointSerializer.SPLIT_FORM,
                "a new split form needs a new enumerator checkpoint version, which reads the old ones in their form");
    }

    @Test
    void aVersion2CheckpointStillReads() throws IOException {
        // version 2: splits in their version 1 form, then the next index and the known endpoints
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.write(EnumeratorCheckpointSerializer.serializeVersion1(List.of(subscribed)));
        out.writeInt(12);
        out.writeInt(1);
        out.writeUTF("[::1]:9001");
        EnumeratorCheckpoint back = EnumeratorCheckpointSerializer.INSTANCE.deserialize(
                EnumeratorCheckpointSerializer.VERSION_2, out.getCopyOfBuffer());
        assertEquals(new EnumeratorCheckpoint(List.of(subscribed), Set.of("[::1]:9001"), 12), back);
    }

    @Test
    void aSplitKeepsItsPositionAndAVersion1SplitReadsWithoutOne() throws IOException {
        var serializer = EndpointSplitSerializer.INSTANCE;
        EndpointSplit at = subscribed.withPosition("é".repeat(40_000)); // longer than writeUTF's limit in bytes
        EndpointSplit back = serializer.deserialize(2, serializer.serialize(at));
        assertEquals(at, back);
        assertEquals(at.position(), back.position());
        assertEquals(subscribed.splitId(), back.splitId(), "the position is state, not identity");
        assertEquals(
                subscribed,
                serializer.deserialize(
                        EndpointSplitSerializer.VERSION_1, EndpointSplitSerializer.serializeVersion1(at)));
    }

    @Test
    void aVersion1CheckpointStillReads() throws IOException {
        byte[] old = EnumeratorCheckpointSerializer.serializeVersion1(List.of(plain, subscribed));
        EnumeratorCheckpoint back =
                EnumeratorCheckpointSerializer.INSTANCE.deserialize(EnumeratorCheckpointSerializer.VERSION_1, old);
        assertEquals(List.of(plain, subscribed), back.unassigned());
        assertEquals(Set.of(), back.known());
        assertEquals(Math.max(plain.index(), subscribed.index()) + 1, back.nextIndex());
    }

    @Test
    void anUnknownCheckpointVersionIsRefused() {
        IOException e = assertThrows(
                IOException.class, () -> EnumeratorCheckpointSerializer.INSTANCE.deserialize(4, new byte[0]));
        assertEquals("unknown Tether enumerator checkpoint version 4, this build reads 1 to 3", e.getMessage());
    }

    @Test
    void anUnknownVersionIsRefusedWithBothVersions() {
        IOException e =
                assertThrows(IOException.class, () -> EndpointSplitSerializer.INSTANCE.deserialize(9, new byte[0]));
        assertEquals("unknown Tether split version 9, this build reads 1 to 2", e.getMessage());
    }
}
