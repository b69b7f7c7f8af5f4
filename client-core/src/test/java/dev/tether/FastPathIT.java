/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.NumberedLines;
import dev.tether.testing.Resources;
import dev.tether.testkit.Await;
import dev.tether.testkit.FaultProxy;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Batch delivery, consolidated flushes, writability, the publisher view and io_uring, over real sockets. */
class FastPathIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Resources resources = new Resources();

    @AfterEach
    void tearDown() throws Exception {
        resources.closeAll();
    }

    private <T> ClientConfig.Builder<T> config(ClientConfig.Builder<T> builder, ScriptedServer server) {
        return config(builder, server.port());
    }

    private <T> ClientConfig.Builder<T> config(ClientConfig.Builder<T> builder, int port) {
        return builder.remoteAddress("127.0.0.1", port)
                .name(resources.clientName("fast"))
                .reconnect(ReconnectPolicy.disabled());
    }

    @Test
    void aBatchHandlerGetsTheMessagesOfEachReadAtOnceInOrder() throws Exception {
        ScriptedServer server =
                resources.track(ScriptedServer.start(Script.create().send(NumberedLines.bytes(5000))));
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        TetherClient<String> client = resources.track(TetherClient.create(config(ClientConfig.builder(), server)
                .batchHandler((connection, messages) -> batches.add(messages))
                .build()));

        client.connect().get(10, TimeUnit.SECONDS);

        Await.until(() -> batches.stream().mapToInt(List::size).sum() == 5000, WAIT, "5000 lines in batches");
        assertEquals(
                NumberedLines.expected(5000),
                batches.stream().flatMap(List::stream).toList());
        // 5000 lines in one write arrive in a few reads, not one read each
        assertTrue(batches.size() < 5000 && batches.stream().anyMatch(b -> b.size() > 1), batches.size() + " batches");
    }

    @Test
    void aBatchHandlerThatThrowsIsLoggedAndTheStreamGoesOn() throws Exception {
        ScriptedServer server =
                resources.track(ScriptedServer.start(Script.create().echoing()));
        List<String> seen = new CopyOnWriteArrayList<>();
        TetherClient<String> client = resources.track(TetherClient.create(config(ClientConfig.builder(), server)
                .batchHandler((connection, messages) -> {
                    seen.addAll(messages);
                    if (messages.contains("boom")) {
                        throw new IllegalStateException("handler bug");
                    }
                })
                .build()));
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);

        connection.send("boom").get(10, TimeUnit.SECONDS);
        Await.until(() -> seen.contains("boom"), WAIT, "the batch that throws");
        connection.send("after").get(10, TimeUnit.SECONDS);

        Await.until(() -> seen.contains("after"), WAIT, "the next batch");
        assertTrue(connection.isOpen());
    }

    @Test
    void aHandlerAndABatchHandlerTogetherAreRejected() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> ClientConfig.builder()
                        .remoteAddress("127.0.0.1", 9)
                        .handler((c, m) -> {})
                        .batchHandler((c, m) -> {})
                        .build());
        assertEquals("handler and batchHandler are both set: messages go to one of them; remove one", e.getMessage());
    }

    /** Counts the flushes that reach the socket. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        static final AtomicInteger FLUSHES = new AtomicInteger();

        @Override
        public void flush(ChannelHandlerContext ctx) {
            FLUSHES.incrementAndGet();
            ctx.flush();
        }
    }

    @Test
    void aBurstOfSendsSharesFlushesAndArrivesInOrder() throws Exception {
        ScriptedServer server = resources.track(ScriptedServer.start(Script.create())); // reads until the client closes
        TetherClient<String> client = resources.track(TetherClient.create(config(ClientConfig.builder(), server)
                .addHandler(FlushCounter::new)
                .build()));
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        FlushCounter.FLUSHES.set(0);

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sent.add(connection.send("line " + i));
        }

        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(NumberedLines.expected(2000), server.awaitLines(0, 2000, WAIT));
        assertEquals(1, server.acceptedCount());
        // one flush per message would be 2000; sends that arrive on the I/O thread together share one
        assertTrue(FlushCounter.FLUSHES.get() < 1000, FlushCounter.FLUSHES.get() + " flushes for 2000 sends");
    }

    static Stream<Arguments> boundedPolicies() {
        return Stream.of(
                Arguments.of(WriteBuffer.failFast(16 * 1024, 64 * 1024), 64 * 1024),
                // a low water mark of 0: writable again only once nothing waits, which a strict "below" never is
                Arguments.of(WriteBuffer.failFast(0, 64 * 1024), 64 * 1024),
                Arguments.of(WriteBuffer.bounded(16 * 1024, 64 * 1024, 1 << 20), 1 << 20));
    }

    @ParameterizedTest
    @MethodSource("boundedPolicies")
    void aBoundedWriteBufferRejectsSendsPastItsLimitAndWhenWritableTellsWhenToGoOn(WriteBuffer policy, long limit)
            throws Exception {
        ScriptedServer server = resources.track(ScriptedServer.start(Script.create())); // reads until the client closes
        // a peer that does not read until release(): the held proxy reads nothing, so the client's writes pile up
        FaultProxy proxy = resources.track(FaultProxy.start(server.address())).hold();
        TetherClient<String> client = resources.track(TetherClient.create(config(ClientConfig.builder(), proxy.port())
                .framing(Framing.lines(1 << 20))
                .writeBuffer(policy)
                .build()));
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        assertTrue(connection.isWritable());
        char[] chunk = new char[64 * 1024];
        Arrays.fill(chunk, 'x');
        String big = new String(chunk);

        // Send until a send is rejected and the connection stays unwritable: a rejection can come while the bytes
        // are only waiting for the next flush, and the kernel's buffers still take some megabytes.
        Throwable rejected = null;
        CompletableFuture<Void> writable = null;
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            CompletableFuture<Void> send = connection.send(big);
            try {
                send.get(1, TimeUnit.MILLISECONDS);
                accepted.add(send);
                continue;
            } catch (java.util.concurrent.TimeoutException pending) {
                accepted.add(send);
                continue;
            } catch (ExecutionException e) {
                rejected = e.getCause();
            }
            writable = connection.whenWritable();
            try {
                writable.get(200, TimeUnit.MILLISECONDS); // drained into the kernel: not full yet, go on
            } catch (java.util.concurrent.TimeoutException stuck) {
                break; // the peer reads nothing, the kernel is full: the connection stays unwritable
            }
        }

        assertInstanceOf(SendRejectedException.class, rejected);
        assertTrue(rejected.getMessage().contains("is not writable ("), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("at or over the limit of " + limit), rejected.getMessage());
        assertFalse(connection.isWritable());
        assertFalse(writable.isDone());
        proxy.release();
        writable.get(10, TimeUnit.SECONDS);
        assertTrue(connection.isWritable());
        // every send was either written or rejected with the same clear error: none is lost or left hanging
        for (CompletableFuture<Void> send : accepted) {
            try {
                send.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertInstanceOf(SendRejectedException.class, e.getCause());
            }
        }
        connection.send("after").get(10, TimeUnit.SECONDS);
    }

    @Test
    void whenWritableFailsOnceTheConnectionIsClosed() throws Exception {
        ScriptedServer server =
                resources.track(ScriptedServer.start(Script.create().stopReading())); // silent, deaf
        TetherClient<String> client = resources.track(
                TetherClient.create(config(ClientConfig.builder(), server).build()));
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        connection.close();

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> connection.whenWritable().get(10, TimeUnit.SECONDS));

        assertInstanceOf(ConnectionClosedException.class, e.getCause());
    }

    /** Subscribes a new recorder to {@code connection}'s messages and waits until it has its subscription. */
    private static Recorder subscribe(Connection<String> connection) {
        Recorder recorder = new Recorder();
        connection.messages().subscribe(recorder);
        Await.until(() -> recorder.subscription != null, WAIT, "onSubscribe");
        return recorder;
    }

    /** A subscriber that records what it gets and checks that it never gets more than it asked for. */
    private static final class Recorder implements Flow.Subscriber<String> {
        final List<String> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicInteger requested = new AtomicInteger();
        volatile Flow.Subscription subscription;
        volatile String violation;

        void request(int n) {
            requested.addAndGet(n);
            subscription.request(n);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(String item) {
            received.add(item);
            if (received.size() > requested.get()) {
                violation = "got " + received.size() + " with " + requested.get() + " requested";
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }

    @Test
    void thePublisherHonoursDemandAndCompletesWhenTheServerHangsUp() throws Exception {
        ScriptedServer server = resources.track(ScriptedServer.start(
                Script.create().send(NumberedLines.bytes(100)).close()));
        TetherClient<String> client = resources.track(
                TetherClient.create(config(ClientConfig.builder(), server).build()));
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);

        Recorder recorder = subscribe(connection);
        recorder.request(10);
        Await.until(() -> recorder.received.size() == 10, WAIT, "the ten requested");
        Await.until(() -> !connection.isOpen(), WAIT, "the server to hang up, all 100 lines read");
        assertFalse(recorder.done.isDone(), "90 messages still wait for demand: not complete yet");
        recorder.request(1000);

        recorder.done.get(10, TimeUnit.SECONDS);
        assertEquals(NumberedLines.expected(100), recorder.received);
        assertEquals(null, recorder.violation);
    }

    @Test
    void thePublisherTakesOneSubscriberAndRejectsABadRequest() throws Exception {
        ScriptedServer server =
                resources.track(ScriptedServer.start(Script.create().stopReading())); // silent, deaf
        TetherClient<String> client = resources.track(
                TetherClient.create(config(ClientConfig.builder(), server).build()));
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
        Recorder first = new Recorder();
        Recorder second = new Recorder();

        connection.messages().subscribe(first);
        connection.messages().subscribe(second);
        Await.until(() -> first.subscription != null, WAIT, "onSubscribe");
        first.subscription.request(0);

        ExecutionException secondError =
                org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> second.done.get());
        assertInstanceOf(IllegalStateException.class, secondError.getCause());
        ExecutionException firstError =
                org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> first.done.get());
        assertEquals(
                "request(n) needs n > 0, was 0 (rule 3.9)",
                firstError.getCause().getMessage());
    }

    @Test
    void thePublisherFailsWithTheCauseWhenTheConnectionFails() throws Exception {
        // the reset lands right behind the data, once the client's "go" is in: it cannot race the connect
        ScriptedServer server = resources.track(ScriptedServer.start(
                Script.create().expectLine("go").send(NumberedLines.bytes(3)).reset()));
        TetherClient<String> client = resources.track(
                TetherClient.create(config(ClientConfig.builder(), server).build()));
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);

        Recorder recorder = subscribe(connection);
        recorder.request(Integer.MAX_VALUE);
        connection.send("go").get(10, TimeUnit.SECONDS);

        ExecutionException e =
                org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> recorder.done.get());
        assertInstanceOf(ConnectionClosedException.class, e.getCause());
        assertTrue(
                e.getCause().getMessage().endsWith("was reset by the peer"),
                e.getCause().getMessage());
        server.assertNoFailures();
    }

    @Test
    void ioUringCarriesTheStreamWhereTheKernelAllows() throws Exception {
        assumeTrue(Transport.IO_URING.isAvailable(), "io_uring unavailable here");
        ScriptedServer server =
                resources.track(ScriptedServer.start(Script.create().echoing()));
        TetherClient<String> client = resources.track(TetherClient.create(config(ClientConfig.builder(), server)
                .eventLoops(1, Transport.IO_URING)
                .build()));
        assertEquals(Transport.IO_URING, client.transport());
        Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);

        connection.send("over io_uring").get(10, TimeUnit.SECONDS);

        assertEquals(java.util.Optional.of("over io_uring"), connection.receive(WAIT));
    }
}
