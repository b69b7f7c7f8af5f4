/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.Commands.Result;
import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.EchoServer;
import dev.tether.examples.server.FlakyServer;
import dev.tether.examples.server.FlakyServer.Fate;
import dev.tether.examples.server.FlakyServer.Plan;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.Threads;
import dev.tether.testkit.Await;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tail --reconnect} and its companions, against demo servers that fail: it goes on until stopped. */
class TailReconnectIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TICK = Duration.ofMillis(10);
    /** Quick and predictable, so the tests need not wait out the default backoff. */
    private static final ReconnectPolicy QUICK = ReconnectPolicy.fixed(Duration.ofMillis(20));

    /** A seed whose first six connections meet every fate, each after a tick or more where it can. */
    private static final long EVERY_FATE = LongStream.range(0, 10_000)
            .filter(seed -> FlakyServer.schedule(seed, 6).stream()
                            .map(Plan::fate)
                            .distinct()
                            .count()
                    == Fate.values().length)
            .findFirst()
            .orElseThrow();

    private final Output out = new Output();
    private final Output err = new Output();
    private Commands.Background tail;

    @AfterEach
    void stopTail() throws InterruptedException {
        if (tail != null) {
            tail.stop(TIMEOUT);
        }
        Threads.awaitNone("tail-io-", TIMEOUT); // the client is named after the command
    }

    /** Starts {@code tail args} on a thread of its own; interrupting that thread is the test's Ctrl-C. */
    private CompletableFuture<Integer> startTail(String... args) {
        TailExample command = Commands.parse(new TailExample(), args).reconnectPolicy(QUICK);
        Commands.Background running = Commands.start("test-tail", () -> command.run(out.stream(), err.writer()));
        tail = running;
        return running.exit();
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).count();
    }

    private void awaitCount(Output output, String prefix, long atLeast) {
        Await.until(
                () -> count(output.lines(), prefix) >= atLeast,
                TIMEOUT,
                atLeast + " lines starting with '" + prefix + "'; got:\n" + output.text());
    }

    @Test
    void ridesOutEveryFateOfTheFlakyServerAndStopsCleanlyOnInterrupt() throws Exception {
        try (DemoServer server = new FlakyServer(EVERY_FATE, TICK).start(0)) {
            CompletableFuture<Integer> exit = startTail(
                    "--port", "" + server.port(), "--reconnect", "--idle-timeout", "200ms", "--on-connect", "HELLO");

            awaitCount(err, "connected to 127.0.0.1:" + server.port(), 7);
            tail.thread().interrupt();

            assertEquals(0, exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            List<String> events = err.lines();
            assertTrue(count(events, "disconnected: ") >= 6, err.text());
            assertTrue(events.stream().anyMatch(line -> line.contains("was reset")), err.text());
            assertTrue(events.stream().anyMatch(line -> line.contains("was closed by the peer")), err.text());
            assertTrue(events.stream().anyMatch(line -> line.contains("for 200 ms (readTimeout)")), err.text());
            // stdout has the server's lines only: ticks, counting on across connections, and the on-connect answers
            List<String> ticks = out.lines().stream()
                    .filter(line -> !line.equals("ack HELLO"))
                    .toList();
            assertEquals(
                    LongStream.rangeClosed(1, ticks.size())
                            .mapToObj(n -> "tick " + n)
                            .toList(),
                    ticks);
            assertTrue(count(out.lines(), "ack HELLO") >= 2, out.text());
        }
    }

    @Test
    void waitsForAServerThatIsDownAndGoesOnWhenItRestartsOnTheSamePort() throws Exception {
        int port = Commands.closedPort();
        CompletableFuture<Integer> exit = startTail("--port", "" + port, "--reconnect");
        awaitCount(
                err, "reconnect attempt 2 in 20 ms (connect to 127.0.0.1:" + port + " failed: Connection refused)", 1);

        try (DemoServer first = new FlakyServer(seedWithTicksFirst(), TICK).start(port)) {
            awaitCount(out, "tick 3", 1);
        }
        awaitCount(err, "disconnected: ", 1);
        try (DemoServer second = new FlakyServer(seedWithTicksFirst(), TICK).start(port)) {
            awaitCount(out, "tick 1", 2); // the restarted server counts from 1 again
        }

        tail.thread().interrupt();
        assertEquals(0, exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(2, count(err.lines(), "connected to 127.0.0.1:" + port), err.text());
    }

    /** A seed whose first connection gets at least three ticks. */
    private static long seedWithTicksFirst() {
        return LongStream.range(0, 10_000)
                .filter(seed -> FlakyServer.schedule(seed, 1).get(0).ticks() >= 3)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void exitsOneWithTheReasonWhenThePolicyGivesUp() throws Exception {
        int port = Commands.closedPort();
        StringWriter errText = new StringWriter();
        TailExample command = new TailExample()
                .reconnectPolicy(ReconnectPolicy.fixed(Duration.ofMillis(10)).withMaxAttempts(2));

        int exitCode = Cli.commandLine(command)
                .setErr(new PrintWriter(errText, true))
                .execute("--port", "" + port, "--reconnect");

        assertEquals(1, exitCode);
        List<String> lines = errText.toString().lines().toList();
        String refused = "connect to 127.0.0.1:" + port + " failed: Connection refused";
        assertEquals("reconnect attempt 1 in 10 ms (" + refused + ")", lines.get(0), errText.toString());
        assertEquals(
                // the two retries the policy allows, after the first connect
                "error: gave up reconnecting to 127.0.0.1:" + port + " after 2 reconnect attempts (last cause: "
                        + refused + ")",
                lines.get(lines.size() - 1));
        assertEquals("", out.text());
    }

    @Test
    void heartbeatsGoOutWhenNothingElseIsSent() throws Exception {
        try (DemoServer echo = new EchoServer().start(0)) {
            startTail("--port", "" + echo.port(), "--heartbeat", "20ms");
            awaitCount(out, "PING", 3); // each one echoed back
        }
    }

    @Test
    void theHeartbeatMessageCanBeChosen() throws Exception {
        try (DemoServer echo = new EchoServer().start(0)) {
            startTail("--port", "" + echo.port(), "--heartbeat", "PT0.02S", "--heartbeat-message", "still here");
            awaitCount(out, "still here", 2);
            assertEquals(0, count(out.lines(), "PING"));
        }
    }

    @Test
    void withoutHostItRidesOutItsEmbeddedFlakyServer() throws Exception {
        CompletableFuture<Integer> exit = startTail("--reconnect");

        awaitCount(out, "tick 1", 1);
        tail.thread().interrupt();

        assertEquals(0, exit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * A seed whose first connection gets its ticks, then stays open in silence for fifty intervals: time enough for a
     * JVM to run its shutdown hooks on a loaded machine before the server ends the connection.
     */
    private static long seedSilentAfterTicksFirst() {
        return LongStream.range(0, 10_000)
                .filter(seed -> FlakyServer.schedule(seed, 1).get(0).fate() == Fate.SILENCE)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void stoppingTheJvmClosesTheClientThroughTheShutdownHook() throws Exception {
        // a reset or drop after a few 50 ms ticks could beat the hook, and the test would see that loss instead
        try (DemoServer server = new FlakyServer(seedSilentAfterTicksFirst(), Duration.ofMillis(50)).start(0)) {
            Path jar = Path.of("target", "tether-examples.jar");
            Path errFile = Files.createTempFile("tail-", ".err");
            assertTrue(Files.isRegularFile(jar), "the jar is built in the package phase, before this test: " + jar);
            Process process = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-jar",
                            jar.toString(),
                            "tail",
                            "--port",
                            "" + server.port(),
                            "--reconnect")
                    .redirectError(errFile.toFile()) // destroy() closes the pipes: keep stderr in a file
                    .start();
            try (BufferedReader stdout = process.inputReader(StandardCharsets.UTF_8)) {
                assertEquals("tick 1", stdout.readLine()); // printed live, while the connection is open

                process.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C

                assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "tail did not stop");
                String stderr = Files.readString(errFile);
                assertTrue(
                        stderr.contains("disconnected: connection tail#1 to 127.0.0.1:" + server.port()
                                + " was closed by the application"),
                        stderr);
            } finally {
                process.destroyForcibly();
                Files.delete(errFile);
            }
        }
    }

    @Test
    void optionsThatContradictEachOtherAreUsageErrors() {
        Result orphan = Commands.execute("tail", "--heartbeat-message", "hi");
        Result lenpref = Commands.execute("tail", "--reconnect", "--framing", "lenpref");
        Result lineBreak = Commands.execute("tail", "--port", "9", "--on-connect", "a\nb");
        Result tooLong = Commands.execute("tail", "--idle-timeout", "25h");

        assertEquals(2, orphan.exitCode());
        assertTrue(orphan.err().startsWith("--heartbeat-message needs --heartbeat"), orphan.err());
        assertEquals(2, lenpref.exitCode());
        assertTrue(lenpref.err().startsWith("The embedded flaky server of --reconnect sends lines"), lenpref.err());
        assertEquals(2, lineBreak.exitCode());
        assertTrue(lineBreak.err().contains("a line break cannot be sent with --framing lines"), lineBreak.err());
        assertEquals(2, tooLong.exitCode());
        assertTrue(tooLong.err().contains("PT25H is longer than a day (PT24H)"), tooLong.err());
    }
}
