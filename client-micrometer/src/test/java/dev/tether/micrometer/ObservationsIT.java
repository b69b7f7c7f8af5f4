/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.ConnectFailedException;
import dev.tether.TetherClient;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import dev.tether.testkit.TestCertificates;
import dev.tether.tls.Tls;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional Observations: one {@code tether.connect} per attempt, a child per phase it went through. */
class ObservationsIT extends MetricsFixture {
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final TetherMetrics observed = metrics.withObservations(observations);

    @TempDir
    Path dir;

    ObservationsIT() {
        super("observed", ReconnectPolicy.disabled());
    }

    @Test
    void successfulConnectWithAHook() throws Exception {
        ScriptedServer server = scripted(Script.create().expectLine("HELLO").stall());
        TetherClient<String> client = client(config(server.port())
                .metrics(observed)
                .onConnect(connection -> connection.send("HELLO"))
                .build());
        connect(client);

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("tether.connect", 1)
                .hasObservationWithNameEqualTo("tether.connect")
                .that()
                .hasBeenStarted()
                .hasBeenStopped()
                .doesNotHaveError()
                .hasLowCardinalityKeyValue("client", name)
                .hasLowCardinalityKeyValue("outcome", "success");
        assertPhases("resolve", "tcp", "hook");
        assertEquals(1, connectTimer("success").count(), "the meters too");
    }

    @Test
    void tlsConnectHasATlsPhase() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Tether Metrics Test CA");
        TestCertificates.Issued certificate = ca.issue("server", "127.0.0.1");
        ScriptedServer server = resources.track(ScriptedServer.startTls(
                certificate.sslContext(), Script.create().sendLines("secret").stall()));
        TetherClient<String> client = client(config(server.port())
                .metrics(observed)
                .tls(Tls.trustPem(ca.writeCertificate(dir.resolve("ca.pem"))))
                .build());
        connect(client);

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("tether.connect")
                .that()
                .hasBeenStopped()
                .doesNotHaveError()
                .hasLowCardinalityKeyValue("outcome", "success");
        assertPhases("resolve", "tcp", "tls");
        Await.until(() -> client.stats().messagesReceived() == 1, WAIT, "the line");
        assertEquals(7.0, count("tether.bytes.received"), "\"secret\\n\", decrypted: no TLS record's overhead");
    }

    @Test
    void refusedConnectIsAnError() throws Exception {
        ScriptedServer server = scripted(Script.create().stall());
        server.down();
        TetherClient<String> client =
                client(config(server.port()).metrics(observed).build());
        CompletableFuture<?> connect = client.connect();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
        assertEquals(ConnectFailedException.class, refused.getCause().getClass());

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("tether.connect", 1)
                .hasObservationWithNameEqualTo("tether.connect")
                .that()
                .hasBeenStopped()
                .hasError()
                .hasLowCardinalityKeyValue("outcome", "failure")
                .hasLowCardinalityKeyValue("client", name);
        assertPhases("resolve", "tcp");
        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("tether.connect.tcp")
                .that()
                .hasError(); // the phase it failed in
        assertEquals(1, connectTimer("failure").count());
    }

    @Test
    void recorderWithObservationsCountsWithTheOneItCameFrom() throws Exception {
        ScriptedServer server = scripted(Script.create().stall());
        ClientConfig<String> plain = config(server.port()).metrics(metrics).build();
        TetherClient<String> first = client(plain);
        TetherClient<String> second = client(plain.toBuilder().metrics(observed).build()); // the same name
        connect(first);
        connect(second);

        assertEquals(2.0, count("tether.connects", "outcome", "success"), "both clients' connects");
        assertEquals(2.0, gauge("tether.connections.open"));
        assertEquals(2, connectTimer("success").count());
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("tether.connect", 1);
    }

    @Test
    void closeDuringRetriesEndsEveryAttempt() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return context.getName().equals("tether.connect");
            }

            @Override
            public void onStart(Observation.Context context) {
                started.incrementAndGet();
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.incrementAndGet();
            }
        });
        ScriptedServer server = scripted(Script.create().stall());
        server.down();
        TetherClient<String> client = client(config(server.port())
                .metrics(observed)
                .reconnect(ReconnectPolicy.fixed(Duration.ZERO))
                .retryInitialConnect(true)
                .build());
        CompletableFuture<?> connect = client.connect();
        Await.until(() -> client.stats().failedConnects() >= 20, WAIT, "20 refused connects");
        client.close(); // most likely while an attempt is under way
        assertTrue(connect.isCompletedExceptionally());

        long failed = client.stats().failedConnects();
        assertEquals(started.get(), stopped.get(), "every attempt observed ended");
        assertEquals(failed, started.get(), "one observation per attempt");
        assertEquals(failed, count("tether.connects", "outcome", "failure"));
        assertEquals(failed, connectTimer("failure").count());
    }

    /** Exactly these phases were observed, once each, as stopped children of {@code tether.connect}. */
    private void assertPhases(String... phases) {
        TestObservationRegistryAssert.assertThat(observations).hasNumberOfObservationsEqualTo(1 + phases.length);
        for (String phase : phases) {
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("tether.connect." + phase)
                    .that()
                    .hasBeenStarted()
                    .hasBeenStopped()
                    .hasParentObservationContextMatching(
                            parent -> parent.getName().equals("tether.connect"));
        }
    }
}
