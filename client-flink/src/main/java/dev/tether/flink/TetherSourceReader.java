/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.reconnect.ReconnectPolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Reads this subtask's endpoints: one Tether client and connection per split, all on one I/O thread and one
 * delivery thread of the reader's own, feeding one {@link Handover} that {@link #pollNext} drains.
 *
 * <p>It publishes Tether's counts in Flink's metric group; see {@link ReaderMetrics}.
 *
 * <p>Flink calls every method on the task thread. In bounded mode a split ends when its server closes the
 * connection cleanly and its messages were emitted; the reader ends when all its splits have and the enumerator said
 * no more come. A connection that fails for good fails the task, and Flink's restart strategy decides what follows.
 */
final class TetherSourceReader<T> implements SourceReader<T, EndpointSplit> {
    // records emitted per pollNext: enough to amortise the call, few enough to keep the task thread responsive
    static final int MAX_RECORDS_PER_POLL = 64;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final SourceReaderContext context;
    private final SerializableSupplier<ClientConfig.Builder<String>> template;
    private final Function<String, T> deserializer;
    private final boolean bounded;
    private final int window;
    private final Handover handover = new Handover();
    private final ReaderMetrics metrics = new ReaderMetrics();
    private final Map<String, SplitStream> streams = new LinkedHashMap<>(); // by split id; unfinished only
    private final List<CompletableFuture<Void>> closing = new ArrayList<>();
    private EventLoopGroup group;
    private ExecutorService delivery;
    private boolean noMoreSplits;

    TetherSourceReader(
            SourceReaderContext context,
            SerializableSupplier<ClientConfig.Builder<String>> template,
            Function<String, T> deserializer,
            boolean bounded,
            int window) {
        this.context = context;
        this.template = template;
        this.deserializer = deserializer;
        this.bounded = bounded;
        this.window = window;
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup());
        String prefix = "tether-flink-" + context.getIndexOfSubtask();
        group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory(prefix + "-io", true), NioIoHandler.newFactory());
        delivery = Executors.newSingleThreadExecutor(new DefaultThreadFactory(prefix + "-delivery", true));
    }

    @Override
    public void addSplits(List<EndpointSplit> splits) {
        for (EndpointSplit split : splits) {
            SplitStream stream = new SplitStream(split, handover, window);
            streams.put(split.splitId(), stream);
            metrics.add(stream);
            stream.open(configFor(split));
        }
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        handover.put(new Handover.Item(null, null, null)); // wakes the task thread to see whether it is done
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        for (int i = 0; i < MAX_RECORDS_PER_POLL; i++) {
            Handover.Item item = handover.poll();
            if (item == null) {
                break;
            }
            if (item.isMessage()) {
                output.collect(deserializer.apply(item.message()));
                item.stream().taken();
            } else if (item.stream() != null) {
                ended(item.stream(), item.failure());
            }
        }
        if (!handover.isEmpty()) {
            return InputStatus.MORE_AVAILABLE;
        }
        return noMoreSplits && streams.isEmpty() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
    }

    @Override
    public List<EndpointSplit> snapshotState(long checkpointId) {
        List<EndpointSplit> splits = new ArrayList<>(streams.size());
        streams.values().forEach(s -> splits.add(s.split()));
        return splits;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return handover.available();
    }

    @Override
    public void close() throws Exception {
        streams.values().forEach(s -> closing.add(s.closeAsync()));
        streams.clear();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException(
                    "the Tether clients of subtask " + context.getIndexOfSubtask() + " did not close within "
                            + CLOSE_WAIT_SECONDS + "s",
                    e);
        } finally {
            if (delivery != null) {
                delivery.shutdownNow();
            }
            if (group != null) {
                group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
                        .await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** The items waiting for {@link #pollNext}, for tests. */
    int waiting() {
        return handover.size();
    }

    /** The messages waiting in the connections' inboxes, behind the handover; for tests. */
    long inboxMessages() {
        return streams.values().stream().mapToLong(SplitStream::inboxMessages).sum();
    }

    private void ended(SplitStream stream, Throwable failure) throws IOException {
        EndpointSplit split = stream.split();
        if (failure != null) {
            throw new IOException(
                    "Tether source: endpoint " + split.endpoint() + " (split " + split.splitId() + ") failed: "
                            + failure.getMessage(),
                    failure);
        }
        streams.remove(split.splitId());
        metrics.finished(stream);
        closing.add(stream.closeAsync());
    }

    /** The template's settings, pointed at the split's endpoint, on the reader's threads. */
    private ClientConfig<String> configFor(EndpointSplit split) {
        Endpoint endpoint = split.endpoint();
        ClientConfig.Builder<String> builder =
                template.get().remoteAddress(endpoint.host(), endpoint.port()).eventLoopGroup(group);
        if (bounded) {
            // a clean close by the server is the end of the split, not a loss to ride out
            builder.reconnect(ReconnectPolicy.disabled());
        }
        ClientConfig<String> config = builder.build();
        ClientConfig.Builder<String> adjusted = config.toBuilder();
        if (config.publisherExecutor() == ForkJoinPool.commonPool()) {
            adjusted.publisherExecutor(delivery); // the common pool has one thread on two cores, shared with Flink
        }
        if (endpoint.onConnect().isPresent()) {
            adjusted.onConnect(withLine(config, endpoint.onConnect().get()));
        }
        return adjusted.build();
    }

    /** Runs the template's own hook first, if it has one (a login, say), then sends the endpoint's line. */
    private static Function<Connection<String>, CompletionStage<?>> withLine(ClientConfig<String> config, String line) {
        var own = config.onConnect();
        if (own.isEmpty()) {
            return connection -> connection.send(line);
        }
        var hook = own.get();
        return connection -> hook.apply(connection).thenCompose(ignored -> connection.send(line));
    }
}
