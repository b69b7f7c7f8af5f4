/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The classic blocking ping-pong client: a {@code java.net.Socket} with {@code TCP_NODELAY}, each ping and its LF
 * written to the socket's stream in one call, each echo read on the calling thread with {@code
 * BufferedReader.readLine()}.
 */
final class BlockingPingPeer implements PingPeer {
    @Override
    public String name() {
        return "blocking-socket";
    }

    @Override
    public String transport() {
        return "-";
    }

    @Override
    public long[] pingPong(int port, int warmup, int roundTrips) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000); // a lost echo fails the run instead of hanging it
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return RoundTrips.play(name(), warmup, roundTrips, ping -> {
                out.write((ping + "\n").getBytes(StandardCharsets.UTF_8));
                return in.readLine();
            });
        }
    }
}
