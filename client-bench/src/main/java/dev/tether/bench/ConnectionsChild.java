/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.Transport;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The measuring side of {@link ManyConnections}, which runs in a JVM of its own per client, so that one client's
 * heap and direct memory do not count against the other's.
 *
 * <p>It warms up with a throwaway client of the same kind (classes loaded, allocator and static caches started), takes
 * a baseline after GC, opens the connections with at most {@code batch} attempts outstanding, takes the same figures
 * at the peak, calls back, and closes the client.
 */
final class ConnectionsChild {
    /** Printed on stderr once every connection is open, so the parent can tell the phases apart in the log. */
    static final String ALL_OPEN_MARK = "[many-connections] all open";

    private static final int WARM_UP_CONNECTIONS = 100;

    private ConnectionsChild() {}

    /**
     * Runs {@code client} with {@code connections} idle connections to {@code targets}.
     *
     * @param atPeak called with all connections open and measured, before the close; the child process waits here
     *     for the parent
     * @throws IllegalStateException if the file limit is too low, or a connection fails
     */
    static ConnectionsResult run(
            String client,
            Transport transport,
            int ioThreads,
            int connections,
            int batch,
            List<InetSocketAddress> targets,
            Runnable atPeak)
            throws Exception {
        long fdLimit = fdLimit();
        if (fdLimit >= 0 && fdLimit < connections + 200L) {
            throw new IllegalStateException("the file limit of this JVM is " + fdLimit + ", too low for " + connections
                    + " connections; raise it (ulimit -n) or ask for fewer");
        }
        IdleClient warmUp = IdleClient.create(client, "warmup", transport, ioThreads, targets);
        int warmUpConnections = Math.min(WARM_UP_CONNECTIONS, connections);
        open(warmUp, warmUpConnections, batch, new Object[warmUpConnections]);
        warmUp.closeAll();
        joinThreads(prefixed("warmup"));

        Object[] opened = new Object[connections]; // what a user keeps: allocated before the baseline
        Snapshot before = Snapshot.take();
        IdleClient measured = IdleClient.create(client, client, transport, ioThreads, targets);
        long start = System.nanoTime();
        open(measured, connections, batch, opened);
        long openNanos = System.nanoTime() - start;
        System.err.println(ALL_OPEN_MARK);
        Snapshot peak = Snapshot.take();
        List<Thread> added = peak.threads().stream()
                .filter(thread -> !before.threads().contains(thread))
                .sorted(Comparator.comparing(Thread::getName))
                .toList();
        atPeak.run();

        start = System.nanoTime();
        measured.closeAll();
        long closeNanos = System.nanoTime() - start;
        Reference.reachabilityFence(opened);
        joinThreads(added);
        int left = (int) added.stream().filter(Thread::isAlive).count();
        String names =
                added.isEmpty() ? "-" : added.stream().map(Thread::getName).collect(Collectors.joining("+"));
        return new ConnectionsResult(
                client,
                transport.name().toLowerCase(Locale.ROOT),
                measured.transport(),
                ioThreads,
                connections,
                fdLimit,
                openNanos,
                closeNanos,
                peak.heap() - before.heap(),
                peak.direct() - before.direct(),
                peak.rss() - before.rss(),
                added.size(),
                names.replace(' ', '_'),
                left,
                0,
                0);
    }

    /** Opens {@code count} connections, at most {@code batch} at a time, into {@code into}; fails on the first error. */
    static void open(IdleClient client, int count, int batch, Object[] into) throws Exception {
        Semaphore outstanding = new Semaphore(batch);
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < count && failure.get() == null; i++) {
            outstanding.acquire();
            int index = i;
            client.connect(i).whenComplete((connection, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    into[index] = connection; // the latch publishes it to the caller
                }
                outstanding.release();
                done.countDown();
            });
        }
        if (failure.get() == null && !done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(
                    "only " + (count - done.getCount()) + " of " + count + " connections opened within 5 minutes");
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "a connection failed after " + (count - done.getCount()) + " of " + count, failure.get());
        }
    }

    private static List<Thread> prefixed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix))
                .toList();
    }

    /** Waits for threads that were told to stop (a terminated event-loop group's) to finish leaving. */
    private static void joinThreads(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    static long fdLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : -1;
    }

    /** Heap after GC, direct memory, resident set size and live threads at one moment. */
    record Snapshot(long heap, long direct, long rss, Set<Thread> threads) {
        static Snapshot take() {
            for (int i = 0; i < 3; i++) {
                System.gc(); // a full collection on G1, done when it returns
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(bean -> bean.getName().equals("direct"))
                    .mapToLong(BufferPoolMXBean::getMemoryUsed)
                    .sum();
            // Netty's direct buffers without a cleaner are not in the JDK's pool; it counts them itself, or says -1
            long direct = pool + Math.max(0, PlatformDependent.usedDirectMemory());
            return new Snapshot(
                    heap,
                    direct,
                    residentBytes(),
                    Set.copyOf(Thread.getAllStackTraces().keySet()));
        }

        private static long residentBytes() {
            try {
                return Files.readAllLines(Path.of("/proc/self/status")).stream()
                        .filter(line -> line.startsWith("VmRSS:"))
                        .map(line -> line.replaceAll("[^0-9]", ""))
                        .mapToLong(kib -> Long.parseLong(kib) * 1024)
                        .findFirst()
                        .orElse(0);
            } catch (IOException e) {
                return 0; // not Linux
            }
        }
    }
}
