/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 13: Connection.drain winds a connection down without losing what it already read or accepted. */
class DrainIT extends ClientFixture {
    DrainIT() {
        super("drain", ReconnectPolicy.disabled());
    }

    private Connection<String> connectToAServerThatDoesNotRead(ScriptedServer server) throws Exception {
        Connection<String> connection = connect(client(config(server.port())
                .writeBuffer(WriteBuffer.bounded(64 * 1024, 128 * 1024, 64L * 1024 * 1024))
                .build()));
        server.awaitConnections(1, WAIT);
        return connection;
    }

    /** Sends more than loopback's socket buffers take (a few MiB each way), so some stays unwritten. */
    private static List<CompletableFuture<Void>> fillTheSocketBuffers(Connection<String> connection) {
        String big = "x".repeat(64 * 1024);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 1000 && connection.stats().pendingWriteBytes() < 32 * 1024 * 1024; i++) {
            sends.add(connection.send(big));
        }
        Await.until(() -> !connection.isWritable(), WAIT, "the socket buffers full");
        return sends;
    }

    private static Script lines(int n) {
        String[] lines = new String[n];
        for (int i = 0; i < n; i++) {
            lines[i] = "m" + i;
        }
        return Script.create().sendLines(lines);
    }

    @Test
    void waitsForAReceiverToTakeTheInboxAndForTheSendsThenClosesCleanly() throws Exception {
        ScriptedServer server = scripted(lines(100));
        Connection<String> connection = connect(client(config(server.port()).build()));
        Await.until(() -> connection.stats().inboxMessages() == 100, WAIT, "the feed in the inbox");
        List<CompletableFuture<Void>> sends = List.of(connection.send("a"), connection.send("b"), connection.send("c"));

        CompletableFuture<DrainResult> drained = connection.drain(WAIT);
        assertFalse(drained.isDone(), "100 messages wait for a receiver");
        List<String> taken = new ArrayList<>();
        while (taken.size() < 100) {
            taken.addAll(connection.receive(30, WAIT));
        }
        DrainResult result = drained.get(10, TimeUnit.SECONDS);

        assertTrue(result.completed(), result.toString());
        assertEquals(100, result.messagesDelivered(), result.toString());
        assertEquals(0, result.messagesLeft());
        assertEquals(0, result.bytesUnsent());
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("a", "b", "c"), server.awaitLines(0, 3, WAIT));
        Await.until(() -> server.connection(0).receivedEndOfStream(), WAIT, "a clean close (FIN)");
        assertEquals(ConnectionState.CLOSED, connection.state());
        assertEquals(1, connection.stats().disconnects(Stats.DisconnectCause.APPLICATION));
    }

    @Test
    void stopsReadingAtOnceAndWhatIsLeftAtTheTimeoutStaysReceivable() throws Exception {
        ScriptedServer server = scripted(Script.create().every(Duration.ofMillis(2), 5_000, i -> "tick " + i));
        Connection<String> connection = connect(client(config(server.port()).build()));
        Await.until(() -> connection.stats().inboxMessages() > 0, WAIT, "ticks arriving");

        DrainResult result = connection.drain(Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);

        assertFalse(result.completed(), "nobody took the inbox");
        assertEquals(0, result.messagesDelivered());
        assertTrue(result.messagesLeft() > 0, result.toString());
        long received = connection.stats().messagesReceived();
        assertEquals(received, result.messagesLeft(), "nothing read after the drain started was lost or taken");
        List<String> rest = new ArrayList<>();
        List<String> batch;
        while (!(batch = connection.receive(1000, Duration.ZERO)).isEmpty()) {
            rest.addAll(batch);
        }
        assertEquals(result.messagesLeft(), rest.size(), "the rest is handed out after the close");
        assertEquals("tick 0", rest.get(0));
    }

    @Test
    void atTheTimeoutSendsNotWrittenFailAndAreCounted() throws Exception {
        ScriptedServer server = scripted(Script.create().stopReading());
        Connection<String> connection = connectToAServerThatDoesNotRead(server);
        List<CompletableFuture<Void>> sends = fillTheSocketBuffers(connection);

        DrainResult result = connection.drain(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);

        assertFalse(result.completed());
        assertTrue(result.bytesUnsent() > 0, result.toString());
        Throwable unsent = failure(sends.get(sends.size() - 1));
        assertInstanceOf(ConnectionClosedException.class, unsent);
        assertEquals(0, connection.stats().pendingWriteBytes());
    }

    @Test
    void sendsLostWhenTheServerHangsUpDuringTheDrainMakeItIncomplete() throws Exception {
        ScriptedServer server = scripted(Script.create().stopReading());
        Connection<String> connection = connectToAServerThatDoesNotRead(server);
        fillTheSocketBuffers(connection);

        CompletableFuture<DrainResult> drained = connection.drain(WAIT);
        server.close(); // hangs up on unread bytes: a reset, and the sends still waiting fail
        DrainResult result = drained.get(10, TimeUnit.SECONDS);

        assertFalse(result.completed(), result.toString());
        assertTrue(result.bytesUnsent() > 0, result.toString());
    }

    @Test
    void withAHandlerItClosesAtOnceRefusesNewSendsAndAnswersLaterCallsWithTheSameResult() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        ScriptedServer server = scripted(lines(10));
        Connection<String> connection = connect(client(config(server.port())
                .handler((c, message) -> handled.incrementAndGet())
                .build()));
        Await.until(() -> handled.get() == 10, WAIT, "ten lines handled");

        // no timeout at all: this one is about the most a Duration holds (it broke the drain's timer once)
        CompletableFuture<DrainResult> drained = connection.drain(java.time.temporal.ChronoUnit.FOREVER.getDuration());
        Throwable refused = failure(connection.send("late"));
        DrainResult result = drained.get(10, TimeUnit.SECONDS);

        assertInstanceOf(ConnectionClosedException.class, refused);
        assertTrue(result.completed());
        assertEquals(0, result.messagesDelivered(), "a handler's messages never wait");
        assertSame(drained, connection.drain(WAIT), "a second drain gets the first's result");
        assertEquals(10, connection.stats().messagesReceived());
        assertThrows(IllegalArgumentException.class, () -> connection.drain(Duration.ofMillis(-1)));
    }

    @Test
    void aClientClosedUnderADrainEndsIt() throws Exception {
        ScriptedServer server = scripted(lines(3));
        TetherClient<String> client = client(
                config(server.port()).closeTimeout(Duration.ofMillis(200)).build());
        Connection<String> connection = connect(client);
        Await.until(() -> connection.stats().inboxMessages() == 3, WAIT, "three lines nobody takes");
        CompletableFuture<DrainResult> drained = connection.drain(Duration.ofMinutes(5));

        client.close(); // the drain holds the connection open until the client's close timeout forces it shut

        DrainResult result = drained.get(10, TimeUnit.SECONDS);
        assertFalse(result.completed());
        assertEquals(3, result.messagesLeft());
        assertEquals(ConnectionState.CLOSED, connection.state());
    }

    @Test
    void afterACloseADrainSaysNothingWasDrained() throws Exception {
        ScriptedServer server = scripted(lines(3));
        Connection<String> connection = connect(client(config(server.port()).build()));
        Await.until(() -> connection.stats().inboxMessages() == 3, WAIT, "three lines waiting");
        connection.close();

        DrainResult result = connection.drain(WAIT).get(10, TimeUnit.SECONDS);

        assertFalse(result.completed());
        assertEquals(3, result.messagesLeft());
    }

    @Test
    void whileDisconnectedBufferedSendsCannotBeWrittenSoItEndsAtOnce() throws Exception {
        ScriptedServer server = scripted(Script.create().expectLine("bye").close());
        Connection<String> connection = connect(client(config(server.port())
                .reconnect(ReconnectPolicy.fixed(Duration.ofSeconds(30)))
                .build()));
        server.down();
        connection.send("bye");
        Await.until(() -> connection.state() == ConnectionState.RECONNECTING, WAIT, "the server hung up");
        CompletableFuture<Void> buffered = connection.send("later");

        DrainResult result = connection.drain(WAIT).get(5, TimeUnit.SECONDS);

        assertFalse(result.completed());
        assertEquals(6, result.bytesUnsent(), "later and its newline");
        assertInstanceOf(ConnectionClosedException.class, failure(buffered));
    }

    @Test
    void waitsForThePublishersSubscriberToBeHandedTheInbox() throws Exception {
        ScriptedServer server = scripted(lines(50));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Connection<String> connection = connect(
                    client(config(server.port()).publisherExecutor(executor).build()));
            Await.until(() -> connection.stats().inboxMessages() == 50, WAIT, "the feed in the inbox");
            List<String> got = new ArrayList<>();
            Flow.Subscription[] subscription = new Flow.Subscription[1];
            connection.messages().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription[0] = s;
                }

                @Override
                public void onNext(String item) {
                    synchronized (got) {
                        got.add(item);
                    }
                }

                @Override
                public void onError(Throwable throwable) {}

                @Override
                public void onComplete() {}
            });
            Await.until(() -> subscription[0] != null, WAIT, "subscribed");

            CompletableFuture<DrainResult> drained = connection.drain(WAIT);
            assertFalse(drained.isDone(), "the subscriber has requested nothing yet");
            subscription[0].request(Long.MAX_VALUE);
            DrainResult result = drained.get(10, TimeUnit.SECONDS);

            assertTrue(result.completed());
            assertEquals(50, result.messagesDelivered());
            Await.until(
                    () -> {
                        synchronized (got) {
                            return got.size() == 50;
                        }
                    },
                    WAIT,
                    "fifty delivered");
        } finally {
            executor.shutdownNow();
        }
    }
}
