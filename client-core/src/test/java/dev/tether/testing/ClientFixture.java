/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.reconnect.Jitter;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * What the client's loopback socket tests share; they extend it. Each test gets its own {@link RecordingListener}
 * on every client it configures and its own {@link Resources}, closed after it: servers, then clients, before the
 * next test starts. Servers come from {@link #scripted}: client-testkit's {@link ScriptedServer}, where a {@link Script}
 * says what the server does with each connection.
 *
 * <pre>{@code
 * class SomethingIT extends ClientFixture {
 *     SomethingIT() {
 *         super("some", ReconnectPolicy.disabled());
 *     }
 *
 *     @Test
 *     void works() throws Exception {
 *         ScriptedServer server = scripted(Script.create().echoing());
 *         Connection<String> connection = connect(client(config(server.port()).build()));
 *     }
 * }
 * }</pre>
 */
public abstract class ClientFixture {
    /** How long a test waits for what should happen at once. */
    protected static final Duration WAIT = Duration.ofSeconds(10);
    /** Exponential from 20 ms, doubling, no jitter: delays are predictable from events, never from the clock. */
    protected static final ReconnectPolicy QUICK = ReconnectPolicy.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1))
            .withJitter(Jitter.NONE);

    protected final RecordingListener events = new RecordingListener();
    protected final Resources resources = new Resources();
    protected String name; // of the last client configured

    private final String namePrefix;
    private final ReconnectPolicy reconnect;

    /**
     * @param namePrefix what the names of the test's clients start with
     * @param reconnect the policy {@link #config} sets, which a test may override
     */
    protected ClientFixture(String namePrefix, ReconnectPolicy reconnect) {
        this.namePrefix = namePrefix;
        this.reconnect = reconnect;
    }

    @AfterEach
    protected void closeResources() throws Exception {
        resources.closeAll();
    }

    /** Starts a {@link ScriptedServer} that runs {@code script} on every connection, closed after the test. */
    protected ScriptedServer scripted(Script script) {
        return resources.track(ScriptedServer.start(script));
    }

    /**
     * Starts a {@link ScriptedServer} that runs {@code firstConnections} on the first connections, one each, and
     * {@code then} on every later one; closed after the test.
     */
    protected ScriptedServer scripted(List<Script> firstConnections, Script then) {
        return resources.track(ScriptedServer.start(firstConnections, then));
    }

    /**
     * Returns {@code builder} set up for {@code 127.0.0.1:port}, with a fresh {@link #name}, {@link #events} as its
     * listener and this class's reconnect policy.
     */
    protected <T> ClientConfig.Builder<T> config(ClientConfig.Builder<T> builder, int port) {
        name = resources.clientName(namePrefix);
        return builder.remoteAddress("127.0.0.1", port)
                .name(name)
                .listener(events)
                .reconnect(reconnect);
    }

    /** Same as {@link #config(ClientConfig.Builder, int)}, for a client of lines as strings. */
    protected ClientConfig.Builder<String> config(int port) {
        return config(ClientConfig.builder(), port);
    }

    /** Creates a client, closed after the test. */
    protected <T> TetherClient<T> client(ClientConfig<T> config) {
        return resources.track(TetherClient.create(config));
    }

    /** Connects {@code client}, waiting up to 10 s. */
    protected static <T> Connection<T> connect(TetherClient<T> client) throws Exception {
        return client.connect().get(10, TimeUnit.SECONDS);
    }

    /** Returns why {@code future} failed, waiting up to 10 s; fails the test if it completes normally. */
    protected static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }
}
