/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9: a producer that never looks at writability, against a server that never reads, in a JVM with a 64 MiB
 * heap. Before the fix it died of {@code OutOfMemoryError}: sends from other threads queued a task each on the event
 * loop, and the write limit was checked only when the task ran. Now the limit applies in the sending thread.
 */
class SendFloodIT {
    private static final int MEBIBYTES = 400;

    @ParameterizedTest(name = "issue 9: 400 MiB against a server that never reads, WriteBuffer {0}")
    @CsvSource({"defaults, 8388608", "failFast, 65536", "bounded, 4194304"})
    void aProducerThatNeverWaitsStaysWithinTheLimitAndEverySendResolves(String writeBuffer, long limit)
            throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().stopReading())) { // never reads
            Map<String, Long> result = flood(server.port(), writeBuffer);
            long sent = MEBIBYTES * 1024L;
            assertEquals(sent, result.get("sent"));
            assertEquals(1, result.get("allResolved"), "every future resolved after close: " + result);
            assertEquals(sent, result.get("ok") + result.get("overLimit") + result.get("closed"), result.toString());
            assertEquals(0, result.get("other"), "no failure but over the limit or closed: " + result);
            assertTrue(result.get("overLimit") > sent / 2, "the excess failed: " + result);
            assertTrue(
                    result.get("closed") <= result.get("unresolvedAtEnd"),
                    "only sends still waiting at the end fail as closed: " + result);
            // the sends still open when the producer finished are those the limit let wait, plus what the kernel
            // took (a socket written to but not yet read by the server is not a pending send)
            long frame = 1024 + 4;
            assertTrue(
                    result.get("unresolvedAtEnd") * frame <= limit + frame,
                    result.get("unresolvedAtEnd") + " sends of " + frame + " bytes waited, limit " + limit);
        }
    }

    private static Map<String, Long> flood(int port, String writeBuffer) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(
                        java.toString(),
                        "-Xmx64m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SendFlood.class.getName(),
                        Integer.toString(port),
                        writeBuffer,
                        Integer.toString(MEBIBYTES)))
                .redirectErrorStream(true)
                .start();
        child.getOutputStream().close();
        String output;
        try (var in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the producer did not finish");
        assertEquals(0, child.exitValue(), "the producer failed:\n" + output);
        String last = output.lines()
                .filter(line -> line.startsWith("sent="))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no result line in:\n" + output));
        Map<String, Long> result = new HashMap<>();
        for (String pair : last.split(" ")) {
            String[] kv = pair.split("=");
            result.put(kv[0], kv[1].equals("true") ? 1L : kv[1].equals("false") ? 0L : Long.parseLong(kv[1]));
        }
        return result;
    }
}
