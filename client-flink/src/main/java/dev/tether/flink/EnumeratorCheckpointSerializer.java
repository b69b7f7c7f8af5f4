/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Writes an {@link EnumeratorCheckpoint}. Version 3: the count of unassigned splits, each in the split serializer's
 * version 2 form (with its position), then the next index, the count of known endpoints and each one's {@code
 * host:port} (sorted, so equal checkpoints give equal bytes). Version 2 wrote the splits in their version 1 form
 * (before positions); version 1, before discovery, also stopped after the splits. Both are still read: with no
 * positions, and for version 1 with no known endpoints and the next index after the highest unassigned one.
 */
final class EnumeratorCheckpointSerializer implements SimpleVersionedSerializer<EnumeratorCheckpoint> {
    static final EnumeratorCheckpointSerializer INSTANCE = new EnumeratorCheckpointSerializer();
    static final int VERSION_1 = 1;
    static final int VERSION_2 = 2;
    private static final int VERSION = 3;
    // the split serializer's version whose form version 3 writes; a new split form needs a new version here too
    static final int SPLIT_FORM = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EnumeratorCheckpoint checkpoint) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        writeSplits(checkpoint.unassigned(), out);
        out.writeInt(checkpoint.nextIndex());
        out.writeInt(checkpoint.known().size());
        for (String address : new TreeSet<>(checkpoint.known())) {
            out.writeUTF(address);
        }
        return out.getCopyOfBuffer();
    }

    /** Writes the version 1 form, as builds before discovery did; for tests of reading old checkpoints. */
    static byte[] serializeVersion1(List<EndpointSplit> unassigned) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(unassigned.size());
        for (EndpointSplit split : unassigned) {
            EndpointSplitSerializer.writeVersion1(split, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public EnumeratorCheckpoint deserialize(int version, byte[] serialized) throws IOException {
        if (version < VERSION_1 || version > VERSION) {
            throw new IOException("unknown Tether enumerator checkpoint version " + version + ", this build reads "
                    + VERSION_1 + " to " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int count = in.readInt();
        int splitVersion = version == VERSION ? SPLIT_FORM : EndpointSplitSerializer.VERSION_1;
        List<EndpointSplit> splits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            splits.add(EndpointSplitSerializer.read(in, splitVersion));
        }
        if (version == VERSION_1) {
            return new EnumeratorCheckpoint(splits);
        }
        int nextIndex = in.readInt();
        int knownCount = in.readInt();
        Set<String> known = new HashSet<>();
        for (int i = 0; i < knownCount; i++) {
            known.add(in.readUTF());
        }
        return new EnumeratorCheckpoint(splits, known, nextIndex);
    }

    private static void writeSplits(List<EndpointSplit> splits, DataOutputSerializer out) throws IOException {
        out.writeInt(splits.size());
        for (EndpointSplit split : splits) {
            EndpointSplitSerializer.write(split, out);
        }
    }
}
