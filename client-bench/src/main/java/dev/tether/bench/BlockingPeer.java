/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The classic blocking client: a {@code java.net.Socket} read on the calling thread through a 64 KiB
 * {@code BufferedReader} (lines) or {@code DataInputStream} (length prefixes), each message decoded to a
 * {@code String}.
 */
final class BlockingPeer implements Peer {
    private static final int BUFFER_BYTES = 64 * 1024;

    @Override
    public String name() {
        return "blocking-socket";
    }

    @Override
    public String transport() {
        return "-";
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        long count = 0;
        long chars = 0;
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            if (workload.format() == Workload.Format.LINES) {
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), BUFFER_BYTES);
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    count++;
                    chars += line.length();
                }
            } else {
                DataInputStream in =
                        new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES));
                byte[] body = new byte[Workload.MAX_FRAME];
                while (true) {
                    int length;
                    try {
                        length = in.readInt();
                    } catch (EOFException end) {
                        break;
                    }
                    in.readFully(body, 0, length);
                    String message = new String(body, 0, length, StandardCharsets.UTF_8);
                    count++;
                    chars += message.length();
                }
            }
        }
        long took = System.nanoTime() - start;
        Peer.verify(name(), workload, messages, count, chars);
        return took;
    }
}
