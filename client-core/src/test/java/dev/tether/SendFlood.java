/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A producer that never looks at writability: sends fresh 1 KiB arrays as fast as it can to a server that never
 * reads, then closes, and prints what became of every send. Run in its own small-heap JVM by {@link SendFloodIT}.
 *
 * <p>Arguments: the server's port, the write buffer ({@code defaults}, {@code failFast} or {@code bounded}), and how
 * many MiB to send.
 */
public final class SendFlood {
    private SendFlood() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        WriteBuffer writeBuffer = switch (args[1]) {
            case "defaults" -> WriteBuffer.defaults();
            case "failFast" -> WriteBuffer.failFast(32 * 1024, 64 * 1024);
            case "bounded" -> WriteBuffer.bounded(256 * 1024, 1024 * 1024, 4L << 20);
            default -> throw new IllegalArgumentException("unknown write buffer " + args[1]);
        };
        long sends = Long.parseLong(args[2]) * 1024;
        ClientConfig<byte[]> config = ClientConfig.builder(Codec.bytes())
                .remoteAddress("127.0.0.1", port)
                .name("flood")
                .framing(Framing.lengthField(4, 4096))
                .writeBuffer(writeBuffer)
                .reconnect(ReconnectPolicy.disabled())
                .closeTimeout(Duration.ofSeconds(1))
                .build();
        AtomicLong ok = new AtomicLong();
        AtomicLong overLimit = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        AtomicLong other = new AtomicLong();
        CountDownLatch resolved = new CountDownLatch(Math.toIntExact(sends));
        long unresolvedAtEnd;
        try (TetherClient<byte[]> client = TetherClient.create(config)) {
            Connection<byte[]> connection = client.connect().get(10, TimeUnit.SECONDS);
            for (long i = 0; i < sends; i++) {
                connection.send(new byte[1024]).whenComplete((done, error) -> {
                    if (error == null) {
                        ok.incrementAndGet();
                    } else if (error instanceof SendRejectedException) {
                        overLimit.incrementAndGet();
                    } else if (error instanceof ConnectionClosedException) {
                        closed.incrementAndGet(); // still waiting when the client closed
                    } else {
                        other.incrementAndGet();
                        error.printStackTrace();
                    }
                    resolved.countDown();
                });
            }
            unresolvedAtEnd = resolved.getCount();
        }
        boolean allResolved = resolved.await(30, TimeUnit.SECONDS);
        System.out.println("sent=" + sends + " ok=" + ok.get() + " overLimit=" + overLimit.get() + " closed="
                + closed.get() + " other=" + other.get() + " unresolvedAtEnd=" + unresolvedAtEnd + " allResolved="
                + allResolved);
    }
}
