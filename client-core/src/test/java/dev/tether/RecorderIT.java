/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testing.RecordingRecorder;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import dev.tether.testkit.TestCertificates;
import dev.tether.tls.Tls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Issue 13: what a MetricsRecorder hears from a real client, over TCP and TLS, and what a broken one costs. */
class RecorderIT extends ClientFixture {
    @TempDir
    Path dir;

    RecorderIT() {
        super("recorder", ReconnectPolicy.disabled());
    }

    @Test
    void eachPhaseOfARealConnectInOrderThenTheClientsEnd() throws Exception {
        ScriptedServer server = scripted(Script.create().expectLine("LOGIN").sendLines("OK"));
        RecordingRecorder recording = new RecordingRecorder();
        TetherClient<String> client = client(config(server.port())
                .metrics(recording)
                .onConnect(hook -> hook.send("LOGIN"))
                .build());
        assertEquals(List.of("created 0"), recording.words());

        connect(client);
        client.close();

        assertEquals(List.of("created 0", "start", "tcp", "hook", "succeeded", "closed 0"), recording.words());
    }

    @Test
    void overTlsTheHandshakeIsAPhaseAndARefusedConnectFailsInTcp() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Recorder Test CA");
        ScriptedServer server = resources.track(ScriptedServer.startTls(
                ca.issue("localhost", "localhost", "127.0.0.1").sslContext(),
                Script.create().sendLines("hi")));
        RecordingRecorder recording = new RecordingRecorder();
        TetherClient<String> client = client(config(server.port())
                .metrics(recording)
                .tls(Tls.trustPem(ca.writeCertificate(dir.resolve("ca.pem"))))
                .build());
        connect(client);
        assertEquals(List.of("created 0", "start", "tcp", "tls", "succeeded"), recording.words());

        server.close();
        RecordingRecorder refused = new RecordingRecorder();
        failure(client(config(server.port()).metrics(refused).build()).connect());
        assertEquals(List.of("created 0", "start", "tcp", "failed ConnectFailedException"), refused.words());
    }

    @Test
    void aRecorderThatThrowsIsLoggedOnceAndTheClientCarriesOn() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.tether");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            ScriptedServer server = scripted(Script.create().sendLines("one", "two"));
            int[] calls = {0};
            boolean[] toldClosed = {false};
            MetricsRecorder broken = new MetricsRecorder() {
                @Override
                public ConnectAttempt connectStarted(String c, Connection<?> connection, InetSocketAddress e) {
                    calls[0]++;
                    throw new IllegalStateException("registry is gone");
                }

                @Override
                public void clientClosed(TetherClient<?> client) {
                    toldClosed[0] = true;
                }
            };
            TetherClient<String> client =
                    client(config(server.port()).metrics(broken).build());
            Connection<String> first = connect(client);
            Connection<String> second = connect(client);

            assertEquals(Optional.of("one"), first.receive(WAIT));
            assertEquals(Optional.of("one"), second.receive(WAIT));
            assertEquals(1, calls[0], "not called again after it threw");
            List<String> warnings = appender.list.stream()
                    .filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(
                    warnings.get(0).contains("metrics recorder")
                            && warnings.get(0).contains("connectStarted"),
                    warnings.get(0));
            Await.until(() -> client.stats().connects() == 2, WAIT, "both connects counted all the same");
            client.close();
            assertTrue(toldClosed[0], "a client's close is reported even to a recorder that threw: it may hold it");
        } finally {
            logger.detachAppender(appender);
        }
    }
}
