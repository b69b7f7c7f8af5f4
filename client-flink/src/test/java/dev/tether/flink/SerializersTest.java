/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
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
    void anUnknownVersionIsRefusedWithBothVersions() {
        IOException e =
                assertThrows(IOException.class, () -> EndpointSplitSerializer.INSTANCE.deserialize(9, new byte[0]));
        assertEquals("unknown Tether split version 9, this build reads 1", e.getMessage());
    }
}
