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

/** Writes an {@link EndpointSplit} into checkpoints: index, host, port, and the on-connect line if any. */
final class EndpointSplitSerializer implements SimpleVersionedSerializer<EndpointSplit> {
    static final EndpointSplitSerializer INSTANCE = new EndpointSplitSerializer();
    private static final int VERSION = 1;

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
        return read(new DataInputDeserializer(serialized));
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown Tether split version " + version + ", this build reads " + VERSION);
        }
    }

    static void write(EndpointSplit split, DataOutputView out) throws IOException {
        Endpoint endpoint = split.endpoint();
        out.writeInt(split.index());
        writeString(endpoint.host(), out);
        out.writeInt(endpoint.port());
        out.writeBoolean(endpoint.onConnect().isPresent());
        if (endpoint.onConnect().isPresent()) {
            writeString(endpoint.onConnect().get(), out);
        }
    }

    static EndpointSplit read(DataInputView in) throws IOException {
        int index = in.readInt();
        Endpoint endpoint = Endpoint.of(readString(in), in.readInt());
        if (in.readBoolean()) {
            endpoint = endpoint.withOnConnect(readString(in));
        }
        return new EndpointSplit(index, endpoint);
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
