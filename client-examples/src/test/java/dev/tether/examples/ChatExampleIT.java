/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tether.examples.server.ChatServer;
import dev.tether.testkit.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatExampleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void relaysLinesBetweenTwoClients() throws Exception {
        try (ChatServer server = new ChatServer()) {
            server.start(0);
            try (Chatter alice = new Chatter("--port", "" + server.port(), "--name", "alice")) {
                alice.awaitLine("* welcome alice, 1 online");
                try (Chatter bob = new Chatter("--port", "" + server.port(), "--name", "bob")) {
                    bob.awaitLine("* welcome bob, 2 online");
                    alice.awaitLine("* bob joined");

                    alice.type("hi bob");
                    bob.awaitLine("alice: hi bob");
                    bob.type("hello alice");
                    alice.awaitLine("bob: hello alice");

                    assertEquals(0, bob.endInput());
                }
                alice.awaitLine("* bob left");
                assertFalse(alice.screen.lines().contains("alice: hi bob"), "a sender gets no copy of its line");
                assertEquals(0, alice.endInput());
            }
        }
    }

    @Test
    void exitsWhenTheServerCloses() throws Exception {
        try (ChatServer server = new ChatServer()) {
            server.start(0);
            try (Chatter alice = new Chatter("--port", "" + server.port(), "--name", "alice")) {
                alice.awaitLine("* welcome alice, 1 online");

                server.close();

                assertEquals(0, alice.exitCode());
            }
        }
    }

    @Test
    void chatsWithItsEmbeddedServer() throws Exception {
        try (Chatter solo = new Chatter("--name", "solo")) {
            solo.awaitLine("* welcome solo, 1 online");
            solo.type("anyone here?");

            assertEquals(0, solo.endInput());
            assertEquals(List.of("* welcome solo, 1 online"), solo.screen.lines());
        }
    }

    /** One chat client, run in-process: a keyboard (a pipe into its stdin) and a screen (its stdout). */
    private final class Chatter implements AutoCloseable {
        final Output screen = new Output();
        private final Pipe input = Pipe.open();
        private final OutputStream keyboard = Channels.newOutputStream(input.sink());
        private final Future<Integer> exit;
        private final String name;

        Chatter(String... args) throws IOException {
            ChatExample chat = Commands.parse(new ChatExample(), args);
            InputStream stdin = Channels.newInputStream(input.source());
            this.name = String.join(" ", args);
            this.exit = threads.submit(() -> chat.run(stdin, screen.stream()));
        }

        void type(String line) throws IOException {
            keyboard.write((line + "\n").getBytes(Charset.defaultCharset()));
            keyboard.flush();
        }

        void awaitLine(String line) {
            Await.until(() -> screen.lines().contains(line), TIMEOUT, "'" + line + "' on the screen of chat " + name);
        }

        /** Ends the input, as Ctrl-D does, and returns the exit code. */
        int endInput() throws Exception {
            keyboard.close();
            return exitCode();
        }

        int exitCode() throws Exception {
            return exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            try {
                keyboard.close();
            } finally {
                input.source().close();
            }
        }
    }
}
