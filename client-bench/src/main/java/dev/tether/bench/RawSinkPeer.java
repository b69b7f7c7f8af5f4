/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.io.InputStream;
import java.net.Socket;

/**
 * The practical limit: a blocking socket read into one 64 KiB array, bytes counted and nothing else. No framing and
 * no decoding, so no client can beat it; every other figure is compared with it.
 */
final class RawSinkPeer implements Peer {
    @Override
    public String name() {
        return "raw-sink";
    }

    @Override
    public String transport() {
        return "-";
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        long bytes = 0;
        byte[] buffer = new byte[64 * 1024];
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes += n;
            }
        }
        long took = System.nanoTime() - start;
        long frames = bytes / workload.frameBytes();
        long whole = bytes % workload.frameBytes() == 0 ? frames : -1;
        Peer.verify(name(), workload, messages, whole, whole * workload.size());
        return took;
    }
}
