/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.BatchHandler;
import dev.tether.ClientConfig;
import dev.tether.ClientStats;
import dev.tether.Connection;
import dev.tether.Stats;
import dev.tether.TetherClient;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.FeedServer;
import dev.tether.examples.server.WireFormat;
import dev.tether.reconnect.ReconnectPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A streaming consumer: counts the messages of a fast server and reports the rate.
 *
 * <p>It takes Tether's fast path: a {@link dev.tether.BatchHandler} gets every frame of one socket read at once, on
 * the I/O thread, so the two shared counters are updated once per read rather than once per message, and the
 * {@link Codec#bytes()} codec hands over each line as a {@code byte[]}, which skips decoding text nobody reads.
 * With {@code --pull} it takes them from the inbox instead, with {@link Connection#receive(int, java.time.Duration)}
 * on the main thread, as a consumer that works off the I/O thread does; the inbox depth then shows how far the
 * consumer is behind. Another thread prints the progress to stderr every half second, with the inbox depth and
 * reconnects from
 * {@link TetherClient#stats()}, and two summary lines go to stdout at the end: the rate, then the client's
 * statistics. Without {@code --host} and {@code --port} it reads an embedded {@link FeedServer} and fails unless
 * every message arrived.
 *
 * <pre>
 * $ java -jar tether-examples.jar stream
 * received 1000000 messages (64 B each) in 0.80 s: 1,250,137 msg/s, 76.3 MiB/s
 * summary: 1000000 messages in (65000000 bytes), 0 out; 0 frames dropped; 1 connect, 0 reconnects, 0 failed connects; disconnects: peer_closed 1
 * </pre>
 */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Counts the lines a server sends until it hangs up; prints the progress to stderr and a summary to stdout.",
            "The summary is two lines: the rate, then the client's statistics (prefix 'summary: ').",
            "Without --host and --port, reads an embedded feed server that sends --messages lines of --size bytes."
        })
public final class StreamExample implements Callable<Integer> {
    private static final long PROGRESS_INTERVAL_MILLIS = 500;
    private static final double MIB = 1024 * 1024;
    private static final int MIN_MAX_FRAME = 64 * 1024;

    @Spec
    private CommandSpec spec;

    @Mixin
    private RemoteOptions remote;

    @Mixin
    private TlsOptions tls;

    @Mixin
    private MetricsOptions metrics;

    @Option(
            names = "--messages",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Messages the embedded feed server sends (default: ${DEFAULT-VALUE}).")
    private long messages;

    @Option(
            names = "--pull",
            description = "Take the messages with receive(max, timeout) on the main thread instead of a batch handler"
                    + " on the I/O thread: the inbox between them shows in the progress line.")
    private boolean pull;

    @Option(
            names = "--size",
            paramLabel = "BYTES",
            defaultValue = "64",
            description = "Size of each message in bytes, without its LF (default: ${DEFAULT-VALUE}).")
    private int size;

    /**
     * Runs the example on its own; takes the same options as {@code tether-examples.jar stream}.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.exit(Cli.execute(new StreamExample(), args));
    }

    @Override
    public Integer call() throws Exception {
        return run(System.out, System.err);
    }

    /**
     * Consumes the stream with the parsed options.
     *
     * @param out where the two summary lines are printed
     * @param progress where the progress line is redrawn, with a carriage return, every half second, and where
     *     {@code --metrics-port} prints the address of its endpoint
     * @return the exit code, 0
     * @throws dev.tether.ConnectFailedException if the server cannot be reached
     * @throws dev.tether.ConnectionClosedException if the connection broke
     * @throws IOException if the embedded server or the metrics endpoint cannot start
     * @throws ExampleException if the embedded server was used and not every message arrived
     */
    public int run(PrintStream out, PrintStream progress) throws IOException, InterruptedException {
        Cli.checkRange(spec, "--messages", messages, 0, Long.MAX_VALUE);
        Cli.checkRange(spec, "--size", size, 1, FeedServer.MAX_SIZE);
        try (MetricsEndpoint endpoint = metrics.start(new PrintWriter(progress, true)); // first: a taken port fails
                DemoServer embedded = remote.useEmbeddedServer()
                        ? tls.secure(new FeedServer(messages, size, WireFormat.LINES))
                                .start(0)
                        : null) {
            LongAdder received = new LongAdder();
            LongAdder receivedBytes = new LongAdder();
            DisconnectWatcher watcher = new DisconnectWatcher();
            // region stream
            ClientConfig<byte[]> config = ClientConfig.builder(Codec.bytes())
                    .remoteAddress(remote.host(embedded), remote.port(embedded))
                    .tls(tls.settings()) // --tls, --ca, --cert...: null (plain TCP) unless asked
                    .proxy(remote.proxy()) // --proxy: null connects straight
                    .framing(Framing.lines(Math.max(size, MIN_MAX_FRAME)))
                    .batchHandler((connection, batch) -> { // every frame of one socket read, at once
                        long bytes = 0;
                        for (byte[] message : batch) {
                            bytes += message.length;
                        }
                        received.add(batch.size()); // the shared counters are touched once per read
                        receivedBytes.add(bytes);
                    })
                    .listener(watcher)
                    .reconnect(ReconnectPolicy.disabled()) // the session ends when the server hangs up
                    .name("stream") // in thread names, connection ids and the metrics' client tag
                    .metrics(endpoint.recorder()) // --metrics-port: TetherMetrics on a Prometheus registry, or NONE
                    .build();
            // endregion
            // with --pull, the same client with its messages left in the inbox, counted by the same handler
            BatchHandler<byte[]> counter = config.batchHandler().orElseThrow();
            if (pull) {
                config = config.toBuilder().batchHandler(null).build();
            }

            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "stream-progress");
                thread.setDaemon(true);
                return thread;
            });
            long start = System.nanoTime();
            ClientStats stats;
            ProgressLine progressLine = null;
            try (TetherClient<byte[]> client = TetherClient.create(config)) {
                progressLine = new ProgressLine(received, receivedBytes, client, progress, start);
                ticker.scheduleAtFixedRate(
                        progressLine, PROGRESS_INTERVAL_MILLIS, PROGRESS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                Connection<byte[]> connection = client.connect().join();
                if (pull) {
                    pullAll(connection, counter);
                }
                connection.closeFuture().join(); // until the server hangs up
                stats = client.stats(); // the connection is closed: its counts are final
            } finally {
                ticker.shutdownNow();
                ticker.awaitTermination(1, TimeUnit.SECONDS);
                if (progressLine != null) {
                    progressLine.finish();
                }
            }
            long nanos = System.nanoTime() - start;

            if (watcher.failure().isPresent()) {
                throw watcher.failure().get();
            }
            out.println(summary(received.sum(), receivedBytes.sum(), nanos));
            out.println(statsSummary(stats));
            if (embedded != null && received.sum() != messages) {
                throw new ExampleException("expected " + messages + " messages, received " + received.sum());
            }
        }
        return 0;
    }

    /**
     * Takes every message from the inbox until the connection is closed and the inbox empty, handing each batch to
     * {@code counter} on this thread.
     */
    private static void pullAll(Connection<byte[]> connection, BatchHandler<byte[]> counter)
            throws InterruptedException {
        List<byte[]> batch;
        while (!(batch = connection.receive(4096, Duration.ofMillis(100))).isEmpty() || connection.isOpen()) {
            counter.onBatch(connection, batch);
        }
    }

    /** Returns a line such as {@code received 1000 messages (64 B each) in 0.01 s: 100,000 msg/s, 6.1 MiB/s}. */
    static String summary(long count, long bytes, long nanos) {
        double seconds = Math.max(nanos, 1) / 1e9;
        String sizes;
        if (count == 0) {
            sizes = "no data";
        } else if (bytes % count == 0) {
            sizes = bytes / count + " B each";
        } else {
            sizes = String.format(Locale.ROOT, "%.1f B on average", (double) bytes / count);
        }
        return String.format(
                Locale.ROOT,
                "received %d messages (%s) in %.2f s: %,.0f msg/s, %.1f MiB/s",
                count,
                sizes,
                seconds,
                count / seconds,
                bytes / MIB / seconds);
    }

    /**
     * Returns the client's statistics in one line, such as {@code summary: 1000 messages in (65000 bytes), 0 out; 0
     * frames dropped; 1 connect, 0 reconnects, 0 failed connects; disconnects: peer_closed 1}. Bytes in are those
     * read from the socket, line ends included. Disconnect causes with no count are left out; {@code none} if all
     * are.
     */
    static String statsSummary(Stats stats) {
        StringJoiner disconnects = new StringJoiner(", ", "disconnects: ", "").setEmptyValue("disconnects: none");
        for (Stats.DisconnectCause cause : Stats.DisconnectCause.values()) {
            long count = stats.disconnects(cause);
            if (count > 0) {
                disconnects.add(cause.tag() + " " + count);
            }
        }
        return String.format(
                Locale.ROOT,
                "summary: %d messages in (%d bytes), %d out; %d frames dropped; %d connect%s, %d reconnects, "
                        + "%d failed connects; %s",
                stats.messagesReceived(),
                stats.bytesReceived(),
                stats.messagesSent(),
                stats.framesDropped(),
                stats.connects(),
                stats.connects() == 1 ? "" : "s",
                stats.reconnects(),
                stats.failedConnects(),
                disconnects);
    }

    /**
     * Redraws the progress line with the rate since the last redraw. Runs on the ticker thread; {@link #finish()} runs
     * after the ticker has stopped.
     */
    private static final class ProgressLine implements Runnable {
        private final LongAdder received;
        private final LongAdder receivedBytes;
        private final TetherClient<?> client;
        private final PrintStream progress;
        private volatile boolean drawn;
        private long lastCount;
        private long lastBytes;
        private long lastNanos;

        ProgressLine(
                LongAdder received,
                LongAdder receivedBytes,
                TetherClient<?> client,
                PrintStream progress,
                long startNanos) {
            this.received = received;
            this.receivedBytes = receivedBytes;
            this.client = client;
            this.progress = progress;
            this.lastNanos = startNanos;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long count = received.sum();
            long bytes = receivedBytes.sum();
            ClientStats stats = client.stats();
            double seconds = Math.max(now - lastNanos, 1) / 1e9;
            progress.printf(
                    Locale.ROOT,
                    "\r%,13.0f msg/s %,15d total %9.1f MiB/s %,9d in inbox %,5d reconnects",
                    (count - lastCount) / seconds,
                    count,
                    (bytes - lastBytes) / MIB / seconds,
                    stats.inboxMessages(),
                    stats.reconnects());
            progress.flush();
            drawn = true;
            lastCount = count;
            lastBytes = bytes;
            lastNanos = now;
        }

        /** Ends the progress line, if one was drawn, so that whatever is printed next starts on a line of its own. */
        void finish() {
            if (drawn) {
                progress.println();
            }
        }
    }
}
