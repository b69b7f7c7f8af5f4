/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Writes an {@link EnumeratorCheckpoint}: the count of unassigned splits, then each as the split serializer does. */
final class EnumeratorCheckpointSerializer implements SimpleVersionedSerializer<EnumeratorCheckpoint> {
    static final EnumeratorCheckpointSerializer INSTANCE = new EnumeratorCheckpointSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EnumeratorCheckpoint checkpoint) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(checkpoint.unassigned().size());
        for (EndpointSplit split : checkpoint.unassigned()) {
            EndpointSplitSerializer.write(split, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public EnumeratorCheckpoint deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown Tether enumerator checkpoint version " + version + ", this build reads " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int count = in.readInt();
        List<EndpointSplit> splits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            splits.add(EndpointSplitSerializer.read(in));
        }
        return new EnumeratorCheckpoint(splits);
    }
}
