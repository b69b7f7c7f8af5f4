/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher with a configured executor that stops taking tasks: the I/O thread that signals it must not see the
 * rejection (it would skip closing the connection), and the subscriber is told once.
 */
class InboxPublisherTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Inbox<String> inbox = new Inbox<>(16, Long.MAX_VALUE, channel.eventLoop());
    private final List<String> signals = new ArrayList<>();
    private boolean shutDown;
    private final Executor executor = task -> {
        if (shutDown) {
            throw new RejectedExecutionException("shut down");
        }
        task.run();
    };

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void anExecutorThatShutsDownEndsTheSubscriptionWithoutReachingTheIoThread() {
        inbox.attach(channel);
        Throwable[] error = new Throwable[1];
        new InboxPublisher<>(inbox, executor, () -> null, "p#1").subscribe(subscriber(error));
        inbox.add("one");
        inbox.flush();
        assertEquals(List.of("subscribe", "one"), signals);

        shutDown = true;
        inbox.add("two");
        inbox.flush(); // the I/O thread's signal: must not throw
        inbox.add("three");
        inbox.flush();
        inbox.end();

        assertEquals(List.of("subscribe", "one", "error"), signals, "told once, nothing after");
        assertInstanceOf(RejectedExecutionException.class, error[0].getCause());
        assertTrue(error[0].getMessage().contains("publisherExecutor of connection p#1"), error[0].getMessage());
    }

    @Test
    void anExecutorThatRefusesTheSubscriptionFailsItAtOnce() {
        shutDown = true;
        Throwable[] error = new Throwable[1];
        new InboxPublisher<>(inbox, executor, () -> null, "p#1").subscribe(subscriber(error));
        inbox.add("one");
        inbox.flush();

        assertEquals(List.of("subscribe", "error"), signals);
        assertInstanceOf(RejectedExecutionException.class, error[0].getCause());
    }

    private Flow.Subscriber<String> subscriber(Throwable[] error) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                signals.add("subscribe");
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String item) {
                signals.add(item);
            }

            @Override
            public void onError(Throwable throwable) {
                signals.add("error");
                error[0] = throwable;
            }

            @Override
            public void onComplete() {
                signals.add("complete");
            }
        };
    }
}
