/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testing.Threads;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thousand connect, send, receive, close cycles in one JVM: no leak report (checked by the leak extension after
 * the class), no growth in threads, and the heap back to where it started.
 */
class ConnectCyclesIT {
    private static final int CYCLES = 1000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aThousandCyclesLeaveNothingBehind() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().echoing())) {
            ClientConfig<String> config = ClientConfig.builder()
                    .remoteAddress("127.0.0.1", server.port())
                    .name("cycles")
                    .build();
            cycles(config, 100); // warm-up: classes loaded, pools and JIT settled
            long heapBefore = settledHeap();
            int threadsBefore = Thread.activeCount();

            cycles(config, CYCLES);

            assertEquals(CYCLES + 100, server.acceptedCount());
            Threads.awaitNone("cycles-", WAIT);
            Await.until(
                    () -> Thread.activeCount() <= threadsBefore,
                    WAIT,
                    "thread count back to " + threadsBefore + ", is " + Thread.activeCount());
            long heapAfter = settledHeap();
            // 8 MiB of slack for noise in a shared JVM; a leaked connection each cycle would be far more
            assertTrue(
                    heapAfter - heapBefore < 8L << 20,
                    "heap grew from " + heapBefore + " to " + heapAfter + " bytes over " + CYCLES + " cycles");
        }
    }

    private static void cycles(ClientConfig<String> config, int count) throws Exception {
        try (TetherClient<String> client = TetherClient.create(config)) {
            for (int i = 0; i < count; i++) {
                Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
                connection.send("ping " + i).get(10, TimeUnit.SECONDS);
                assertEquals(Optional.of("ping " + i), connection.receive(WAIT));
                connection.close();
            }
        }
    }

    private static long settledHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
