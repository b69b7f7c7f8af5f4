/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the example's main logic in this JVM on a MiniCluster and checks its output lines (issue 14). */
class FlinkExampleIT {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void boundedDemoPrintsEachFeedsCountThenTheTotal() {
        int status = run("--bounded", "--parallelism", "2");

        assertEquals(0, status, stderr());
        // the feeds' ports are random: stderr names each feed and how many lines it sends
        Pattern feed = Pattern.compile("demo feed (127\\.0\\.0\\.1:\\d+) sends (\\d+) lines, then closes");
        List<String> expected = new ArrayList<>();
        stderr().lines()
                .map(feed::matcher)
                .filter(Matcher::matches)
                .forEach(m -> expected.add("endpoint=" + m.group(1) + " messages=" + m.group(2)));
        assertEquals(3, expected.size(), stderr());
        expected.sort(null);
        expected.add("total messages=6000");
        assertEquals(expected, stdout());
    }

    @Test
    void endpointsOptionCountsEachScriptedServersLines() {
        try (ScriptedServer a = ScriptedServer.start(
                        Script.create().sendLines("a1", "a2", "a3").close());
                ScriptedServer b = ScriptedServer.start(
                        Script.create().sendLines("b1", "b2", "b3", "b4", "b5").close())) {
            String ea = "127.0.0.1:" + a.address().getPort();
            String eb = "127.0.0.1:" + b.address().getPort();

            int status = run("--endpoints", ea + "," + eb, "--parallelism", "2", "--bounded");

            assertEquals(0, status, stderr());
            List<String> expected =
                    new ArrayList<>(List.of("endpoint=" + ea + " messages=3", "endpoint=" + eb + " messages=5"));
            expected.sort(null);
            expected.add("total messages=8");
            assertEquals(expected, stdout());
            a.assertNoFailures();
            b.assertNoFailures();
        }
    }

    @Test
    void unreachableEndpointFailsWithOneLineAndStatusOne() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        int status = run("--endpoints", "127.0.0.1:" + port, "--bounded");

        assertEquals(1, status, stdout().toString());
        String message = stderr().strip();
        assertTrue(message.startsWith("error: job failed: "), message);
        assertTrue(message.contains(String.valueOf(port)), message);
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void badOptionsExitWithStatusTwoAndOneLine() {
        for (String[] args : List.of(
                new String[] {"--nope"},
                new String[] {"--parallelism", "zero"},
                new String[] {"--parallelism", "0"},
                new String[] {"--endpoints", "no-port"},
                new String[] {"--endpoints"})) {
            out.reset();
            err.reset();

            assertEquals(2, run(args), String.join(" ", args));
            assertEquals(1, stderr().strip().lines().count(), stderr());
            assertTrue(stderr().startsWith("error: "), stderr());
            assertEquals(List.of(), stdout());
        }
    }

    private int run(String... args) {
        return FlinkExample.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> stdout() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
