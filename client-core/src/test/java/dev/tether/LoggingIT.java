/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tether.codec.Framing;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the client logs: a line per loss with one prefix, and a flood of bad frames that does not flood the log. */
class LoggingIT extends ClientFixture {
    private final Logger tether = (Logger) LoggerFactory.getLogger("dev.tether");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previous;

    LoggingIT() {
        super("logging", ReconnectPolicy.disabled());
    }

    @BeforeEach
    void capture() {
        appender.start();
        tether.addAppender(appender);
        previous = tether.getLevel();
        tether.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        tether.setLevel(previous);
        tether.detachAppender(appender);
    }

    private List<String> lines(Level level, String containing) {
        return appender.list.stream()
                .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(containing))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aFloodOfBadFramesWarnsOnceAndTheEventsCarryTheCount() throws Exception {
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            flood.append("x".repeat(100)).append('\n'); // over the 64-byte limit, each
        }
        ScriptedServer server =
                scripted(Script.create().send(flood.toString().getBytes(UTF_8)).sendLines("ok"));
        AtomicInteger dropped = new AtomicInteger();
        Connection<String> connection = connect(client(config(server.port())
                .framing(Framing.lines(64))
                .listener(new ConnectionListener() {
                    @Override
                    public void onFrameDropped(FrameDroppedEvent event) {
                        dropped.incrementAndGet();
                    }
                })
                .build()));

        assertEquals(Optional.of("ok"), connection.receive(WAIT));
        Await.until(() -> dropped.get() == 1000, WAIT, "1000 dropped frames, have " + dropped.get());
        assertEquals(1, lines(Level.WARN, "exceeds maxLength 64").size());
        assertEquals(999, lines(Level.DEBUG, "exceeds maxLength 64").size());
    }

    @Test
    void aLossThatIsReconnectedIsOneLineWithOnePrefix() throws Exception {
        // the first connection is reset once the client is connected and has spoken, so the loss follows a connect
        ScriptedServer server = scripted(
                List.of(Script.create().expectLine("go").reset()),
                Script.create().sendLines("back"));
        Connection<String> connection =
                connect(client(config(server.port()).reconnect(QUICK).build()));
        connection.send("go");
        assertEquals(Optional.of("back"), connection.receive(WAIT));

        String id = connection.id();
        List<String> warnings = lines(Level.WARN, id);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.get(0)
                        .matches("connection " + id + " to 127\\.0\\.0\\.1:\\d+ was (reset|closed) by the peer;"
                                + " reconnect attempt 1 in 20 ms"),
                warnings.get(0));
        assertEquals(List.of(), lines(Level.WARN, "connection " + id + ": connection " + id)); // no doubled prefix
    }

    @Test
    void aLossThatEndsTheConnectionIsOneLine() throws Exception {
        ScriptedServer server = scripted(Script.create().expectLine("go").reset());
        Connection<String> connection = connect(client(config(server.port()).build()));
        connection.send("go");
        connection.closeFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        Await.until(() -> !lines(Level.WARN, connection.id()).isEmpty(), WAIT, "the warning");
        assertEquals(
                List.of("connection " + connection.id() + " to 127.0.0.1:" + server.port() + " was reset by the peer"),
                lines(Level.WARN, connection.id()));
    }
}
