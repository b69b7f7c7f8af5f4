/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import dev.tether.ClientConfig;
import dev.tether.ClosedEvent;
import dev.tether.ConnectedEvent;
import dev.tether.Connection;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionEvent;
import dev.tether.ConnectionListener;
import dev.tether.DisconnectedEvent;
import dev.tether.FrameDroppedEvent;
import dev.tether.GaveUpEvent;
import dev.tether.ReconnectScheduledEvent;
import dev.tether.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Reads this subtask's endpoints: one Tether client and connection per split, all on one I/O thread of the reader's
 * own (of the template's transport), feeding one {@link Handover} that {@link #pollNext} drains.
 *
 * <p>Unless the template sets a publisher executor, each connection's publisher signals its {@link SplitStream} on the
 * thread that makes the signal: the I/O thread as a read's messages reach the inbox, the task thread as it requests
 * more. The core advises against that for subscribers in general, which may block an I/O thread; a {@code
 * SplitStream} only queues the message and wakes the task thread, and a thread hop less carried about 1.5 times the
 * messages per second in the benchmark (docs/benchmarks-flink.md).
 *
 * <p>It publishes Tether's counts in Flink's metric group; see {@link ReaderMetrics}.
 *
 * <p>Flink calls every method on the task thread. Each split emits through its own split output, made at the start
 * of the first {@code pollNext} after the split arrived (before any record of that poll), so a split holds the
 * watermark back from the start. In bounded mode a split ends when its server closes the connection cleanly and its
 * messages were emitted; the reader ends when all its splits have and the enumerator said no more come. A connection
 * that fails for good fails the task, and Flink's restart strategy decides what follows.
 *
 * @param <F> the frame type
 * @param <T> the record type
 */
final class TetherSourceReader<F, T> implements SourceReader<T, EndpointSplit> {
    // records emitted per pollNext: enough to amortise the call, few enough to keep the task thread responsive
    static final int MAX_RECORDS_PER_POLL = 64;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final SourceReaderContext context;
    private final ReaderSettings<F, T> settings;
    private final RecordDecoder<F, T> decoder;
    private final SerializableFunction<F, String> position; // null: not resumable
    private final Handover handover = new Handover();
    private final ReaderMetrics metrics = new ReaderMetrics();
    private final Map<String, SplitStream<F, T>> streams = new LinkedHashMap<>(); // by split id; unfinished only
    private final List<SplitStream<F, T>> withoutOutput = new ArrayList<>();
    private final List<CompletableFuture<Void>> closing = new ArrayList<>();
    private EventLoopGroup group;
    private Charset charset; // the template's, for text frames; null for bytes
    private boolean noMoreSplits;
    private boolean started;

    TetherSourceReader(SourceReaderContext context, ReaderSettings<F, T> settings) {
        this.context = context;
        this.settings = settings;
        this.decoder = settings.decoder();
        this.position = settings.position();
    }

    @Override
    public void start() {
        metrics.register(context.metricGroup());
        try {
            decoder.open(context);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Tether source: the DeserializationSchema of subtask " + context.getIndexOfSubtask()
                            + " failed to open: " + e,
                    e);
        }
        String prefix = "tether-flink-" + context.getIndexOfSubtask();
        Transport transport = settings.template()
                .get()
                .remoteAddress("127.0.0.1", 1) // any address: only the transport is read
                .build()
                .transport();
        group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory(prefix + "-io", true), ioHandler(transport));
        started = true;
        streams.values().forEach(stream -> stream.open(configFor(stream)));
    }

    /** Takes splits; on a restore, Flink hands over the checkpointed ones before {@link #start}, which opens them. */
    @Override
    public void addSplits(List<EndpointSplit> splits) {
        for (EndpointSplit split : splits) {
            SplitStream<F, T> stream = new SplitStream<>(split, handover, settings.window());
            streams.put(split.splitId(), stream);
            withoutOutput.add(stream);
            metrics.add(stream);
            if (started) {
                stream.open(configFor(stream));
            }
        }
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        handover.put(new Handover.Item(null, null, null)); // wakes the task thread to see whether it is done
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        for (SplitStream<F, T> stream : withoutOutput) {
            if (!stream.ended()) {
                stream.output(output.createOutputForSplit(stream.split().splitId()));
            }
        }
        withoutOutput.clear();
        for (int i = 0; i < MAX_RECORDS_PER_POLL; i++) {
            Handover.Item item = handover.poll();
            if (item == null) {
                break;
            }
            @SuppressWarnings("unchecked")
            SplitStream<F, T> stream = (SplitStream<F, T>) item.stream();
            if (stream == null || stream.ended()) {
                continue; // a wake-up, or what was on its way when a schema ended the split
            }
            if (item.isMessage()) {
                @SuppressWarnings("unchecked")
                F frame = (F) item.message();
                // the position first: emitting runs chained operators, which may change a reused frame in place
                String p = position == null ? null : positionOf(stream, frame);
                if (decoder.decode(frame, stream.split().endpoint(), charset, stream.output())) {
                    stream.taken();
                    if (p != null) {
                        stream.emitted(p);
                    }
                } else {
                    ended(stream, null, output); // the schema saw the end of the stream
                }
            } else {
                ended(stream, item.failure(), output);
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
        streams.values().forEach(s -> splits.add(s.checkpointed()));
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

    private void ended(SplitStream<F, T> stream, Throwable failure, ReaderOutput<T> output) throws IOException {
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
        if (stream.output() != null) {
            output.releaseOutputForSplit(split.splitId());
        }
    }

    private String positionOf(SplitStream<F, T> stream, F frame) {
        try {
            return position.apply(frame);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Tether source: the position function threw on a frame of endpoint "
                            + stream.split().endpoint() + ": " + e,
                    e);
        }
    }

    /** The I/O handler of the template's transport, {@code AUTO} resolved as the core resolves it. */
    private static IoHandlerFactory ioHandler(Transport requested) {
        Transport transport = requested != Transport.AUTO
                ? requested
                : Transport.EPOLL.isAvailable() ? Transport.EPOLL : Transport.NIO;
        if (!transport.isAvailable()) {
            throw new IllegalStateException("Tether source: the config template asks for transport " + transport
                    + ", which is not available on this task manager (for IO_URING, also with"
                    + " -Dio.netty.iouring.pollAddMultishotEnabled=false); use Transport.AUTO");
        }
        return switch (transport) {
            case EPOLL -> EpollIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    /** The template's settings, pointed at the split's endpoint, on the reader's threads. */
    private ClientConfig<F> configFor(SplitStream<F, T> stream) {
        Endpoint endpoint = stream.split().endpoint();
        ClientConfig<F> config = settings.template()
                .get()
                .remoteAddress(endpoint.host(), endpoint.port())
                .eventLoopGroup(group)
                .build();
        charset = config.codec().charset().orElse(null);
        ClientConfig.Builder<F> adjusted = config.toBuilder();
        if (config.publisherExecutor() == ForkJoinPool.commonPool()) {
            adjusted.publisherExecutor(Runnable::run); // see the class comment: no thread between Tether and Flink
        }
        ResumeLine resume = settings.resumeLine();
        Function<Connection<F>, CompletionStage<?>> hook = null;
        if (resume != null) {
            hook = withLine(config, connection -> resumeLine(resume, stream));
            adjusted.addHandler(() -> new PositionTracker<>(position, stream));
        } else if (endpoint.onConnect().isPresent()) {
            String line = endpoint.onConnect().get();
            hook = withLine(config, connection -> line);
        } else if (config.onConnect().isPresent()) {
            var own = config.onConnect().get();
            hook = own::apply;
        }
        if (settings.bounded()) {
            EndOnCleanClose end = new EndOnCleanClose(config.listener(), hook != null);
            adjusted.listener(end);
            if (hook != null) {
                var inner = hook;
                hook = connection -> inner.apply(connection).thenRun(end::ready);
            }
        }
        if (hook != null) {
            adjusted.onConnect(hook);
        }
        return adjusted.build();
    }

    /** The resume line for the stream's endpoint; one that throws fails the split, as a reconnect would not help. */
    private static String resumeLine(ResumeLine resume, SplitStream<?, ?> stream) {
        Endpoint endpoint = stream.split().endpoint();
        try {
            return resume.line(endpoint, stream.received());
        } catch (RuntimeException e) {
            IllegalStateException failure = new IllegalStateException(
                    "the resume line threw for endpoint " + endpoint + " at position " + stream.received() + ": " + e,
                    e);
            stream.fail(failure);
            throw failure;
        }
    }

    /**
     * Runs the template's own hook first, if it has one (a login, say), then sends the line {@code line} gives, if
     * any: as it is with a text codec, in UTF-8 with a bytes codec.
     */
    private static <F> Function<Connection<F>, CompletionStage<?>> withLine(
            ClientConfig<F> config, Function<Connection<F>, String> line) {
        boolean text = config.codec().charset().isPresent();
        Function<Connection<F>, CompletionStage<?>> send = connection -> {
            String l = line.apply(connection);
            if (l == null) {
                return CompletableFuture.completedFuture(null);
            }
            @SuppressWarnings("unchecked")
            F frame = (F) (text ? l : l.getBytes(StandardCharsets.UTF_8));
            return connection.send(frame);
        };
        var own = config.onConnect();
        if (own.isEmpty()) {
            return send;
        }
        var hook = own.get();
        return connection -> hook.apply(connection).thenCompose(ignored -> send.apply(connection));
    }

    /**
     * Reads each frame's position as it arrives, on the I/O thread, in the order the inbox gets the frames; so at a
     * reconnect, the last position it saw is that of the last frame the reader will emit from the old channel.
     */
    private static final class PositionTracker<F> extends ChannelInboundHandlerAdapter {
        private final SerializableFunction<F, String> position;
        private final SplitStream<F, ?> stream;

        PositionTracker(SerializableFunction<F, String> position, SplitStream<F, ?> stream) {
            this.position = position;
            this.stream = stream;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                @SuppressWarnings("unchecked")
                String p = position.apply((F) msg);
                if (p != null) {
                    stream.received(p);
                }
            } catch (RuntimeException e) {
                stream.fail(new IllegalStateException("the position function threw on a frame: " + e, e));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Passes every event on to the template's listener and, when the server closes a ready connection cleanly, closes
     * it: in bounded mode that is the end of the split, not a loss to ride out. A connection that breaks, or that the
     * server closes before the on-connect hook finished (a server refusing a subscription, say), is left to the
     * reconnect policy. One per split, so {@link #ready} is the split's; all calls come on its I/O thread.
     */
    private static final class EndOnCleanClose implements ConnectionListener {
        private final ConnectionListener own;
        private final boolean hasHook;
        private volatile boolean ready;

        EndOnCleanClose(ConnectionListener own, boolean hasHook) {
            this.own = own;
            this.hasHook = hasHook;
        }

        /** The on-connect hook of the current channel completed. */
        void ready() {
            ready = true;
        }

        @Override
        public void onConnected(ConnectedEvent event) {
            ready = !hasHook; // the hook runs next, if there is one
            own.onConnected(event);
        }

        @Override
        public void onDisconnected(DisconnectedEvent event) {
            if (ready && event.cause().reason() == ConnectionClosedException.Reason.PEER) {
                event.connection().closeAsync();
            }
            own.onDisconnected(event);
        }

        @Override
        public void onReconnectScheduled(ReconnectScheduledEvent event) {
            own.onReconnectScheduled(event);
        }

        @Override
        public void onGaveUp(GaveUpEvent event) {
            own.onGaveUp(event);
        }

        @Override
        public void onFrameDropped(FrameDroppedEvent event) {
            own.onFrameDropped(event);
        }

        @Override
        public void onClosed(ClosedEvent event) {
            own.onClosed(event);
        }

        @Override
        public void onEvent(ConnectionEvent event) {
            own.onEvent(event);
        }
    }
}
