/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes an {@link EndpointSplit} into checkpoints. Version 2: index, host, port, the on-connect line if any, and the
 * position if any. Version 1, before positions, stopped after the line; it is still read, with no position.
 */
final class EndpointSplitSerializer implements SimpleVersionedSerializer<EndpointSplit> {
    static final EndpointSplitSerializer INSTANCE = new EndpointSplitSerializer();
    static final int VERSION_1 = 1;
    static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EndpointSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public EndpointSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        return read(new DataInputDeserializer(serialized), version);
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION && version != VERSION_1) {
            throw new IOException(
                    "unknown Tether split version " + version + ", this build reads " + VERSION_1 + " to " + VERSION);
        }
    }

    /** Writes the version 1 form, as builds before positions did; for tests of reading old checkpoints. */
    static byte[] serializeVersion1(EndpointSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        writeVersion1(split, out);
        return out.getCopyOfBuffer();
    }

    static void write(EndpointSplit split, DataOutputView out) throws IOException {
        writeVersion1(split, out);
        out.writeBoolean(split.position().isPresent());
        if (split.position().isPresent()) {
            writeString(split.position().get(), out);
        }
    }

    static void writeVersion1(EndpointSplit split, DataOutputView out) throws IOException {
        Endpoint endpoint = split.endpoint();
        out.writeInt(split.index());
        writeString(endpoint.host(), out);
        out.writeInt(endpoint.port());
        out.writeBoolean(endpoint.onConnect().isPresent());
        if (endpoint.onConnect().isPresent()) {
            writeString(endpoint.onConnect().get(), out);
        }
    }

    /** Reads a split written in {@code version}'s form. */
    static EndpointSplit read(DataInputView in, int version) throws IOException {
        int index = in.readInt();
        Endpoint endpoint = Endpoint.of(readString(in), in.readInt());
        if (in.readBoolean()) {
            endpoint = endpoint.withOnConnect(readString(in));
        }
        EndpointSplit split = new EndpointSplit(index, endpoint);
        if (version != VERSION_1 && in.readBoolean()) {
            split = split.withPosition(readString(in));
        }
        return split;
    }

    // length-prefixed UTF-8, as writeUTF stops at 64 KiB and an on-connect line may be longer
    private static void writeString(String s, DataOutputView out) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
