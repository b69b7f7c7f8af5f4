/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts {@link ScriptedServer}s that {@link TetherTestExtension} closes and checks when the test ends.
 *
 * <p>Declare it as a parameter of a test method or of a {@code @BeforeEach} / {@code @AfterEach} method; each test
 * gets its own factory. After the test (and its {@code @AfterEach} methods) the extension closes every server it
 * started and fails the test with their recorded failures, as {@link ScriptedServer#assertNoFailures()} would.
 *
 * <pre>{@code
 * @Test
 * void readsPrices(ServerFactory servers) {
 *     ScriptedServer server = servers.start(Script.create().sendLines("p1", "p2"));
 *     // no try-with-resources needed
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class ServerFactory {
    private final List<ScriptedServer> servers = new CopyOnWriteArrayList<>();

    ServerFactory() {}

    /**
     * Starts a server that runs {@code script} on every connection; see {@link ScriptedServer#start(Script)}.
     *
     * @param script the script for every connection
     * @return the running server, closed after the test
     */
    public ScriptedServer start(Script script) {
        return track(ScriptedServer.start(script));
    }

    /**
     * Starts a server with scripts for the first connections and a default; see
     * {@link ScriptedServer#start(List, Script)}.
     *
     * @param firstConnections the scripts for the first connections, in accept order
     * @param then the script for every later connection
     * @return the running server, closed after the test
     */
    public ScriptedServer start(List<Script> firstConnections, Script then) {
        return track(ScriptedServer.start(firstConnections, then));
    }

    /** Closes every server and returns the problems: close errors and recorded failures. */
    List<String> closeAll() {
        List<String> problems = new ArrayList<>();
        for (ScriptedServer server : servers) {
            try {
                server.close();
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
            problems.addAll(server.failures());
        }
        servers.clear();
        return problems;
    }

    private ScriptedServer track(ScriptedServer server) {
        servers.add(server);
        return server;
    }
}
