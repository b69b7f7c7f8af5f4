/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.codec.Framing;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A slow consumer behind a fast stream: Tether's {@code receive()} taken at about 100,000 messages a second while
 * the feed could send twenty times that. The inbox is bounded and stops reading from the socket when full, so TCP
 * pushes back on the server and memory stays flat. The figure is the heap in use after a full GC, sampled each
 * second, and Netty's pooled direct memory.
 */
final class SlowConsumer {
    private static final Duration LENGTH = Duration.ofSeconds(6);
    private static final long NANOS_PER_MESSAGE = 10_000; // 100,000 messages a second

    private SlowConsumer() {}

    static String run() throws Exception {
        StringBuilder results = new StringBuilder();
        for (Workload workload : List.of(Workload.LINES_64, Workload.LENPREF_4096)) {
            results.append(measure(workload)).append('\n');
        }
        return "## Memory with a slow consumer\n\n"
                + "Tether's `receive()` taken at about 100,000 messages a second from a feed that could send many"
                + " times as many, for " + LENGTH.toSeconds() + " s each, default inbox (16,384 messages, 16 MiB):"
                + " small lines, then 4 KiB frames. When the inbox is full the client stops reading; TCP then"
                + " pushes back on the server, so nothing piles up in the client:\n\n```text\n" + results + "```\n";
    }

    private static String measure(Workload workload) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (FeedServer server = new FeedServer()) {
            server.prepare(workload, Long.MAX_VALUE / 2);
            ClientConfig<String> config = ClientConfig.builder()
                    .remoteAddress("127.0.0.1", server.port())
                    .name("bench-slow")
                    .framing(
                            workload.format() == Workload.Format.LINES
                                    ? Framing.lines(Workload.MAX_FRAME)
                                    : Framing.lengthField(4, Workload.MAX_FRAME))
                    .build();
            long baseline = heapAfterGc(memory);
            long peakHeap = baseline;
            long peakDirect = 0;
            long taken = 0;
            StringBuilder samples = new StringBuilder();
            try (TetherClient<String> client = TetherClient.create(config)) {
                Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
                long start = System.nanoTime();
                long nextSample = start + TimeUnit.SECONDS.toNanos(1);
                while (System.nanoTime() - start < LENGTH.toNanos()) {
                    Optional<String> message = connection.receive(Duration.ofSeconds(1));
                    if (message.isEmpty()) {
                        throw new IllegalStateException("the feed stopped");
                    }
                    taken++;
                    long until = System.nanoTime() + NANOS_PER_MESSAGE;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // the consumer's "work"
                    }
                    if (System.nanoTime() >= nextSample) {
                        long heap = heapAfterGc(memory);
                        long direct = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT)
                                .metric()
                                .usedDirectMemory();
                        peakHeap = Math.max(peakHeap, heap);
                        peakDirect = Math.max(peakDirect, direct);
                        samples.append(String.format(Locale.ROOT, " %.1f", heap / 1048576.0));
                        nextSample += TimeUnit.SECONDS.toNanos(1);
                    }
                }
            }
            String result = String.format(
                    Locale.ROOT,
                    "slow-consumer %s: took %d messages in %d s (%.0f/s); heap after GC: baseline %.1f MiB, peak %.1f MiB"
                            + " (each second:%s); direct memory of the default allocator peak %.1f MiB",
                    workload.label(),
                    taken,
                    LENGTH.toSeconds(),
                    taken / (double) LENGTH.toSeconds(),
                    baseline / 1048576.0,
                    peakHeap / 1048576.0,
                    samples,
                    peakDirect / 1048576.0);
            System.out.println(result);
            return result;
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
