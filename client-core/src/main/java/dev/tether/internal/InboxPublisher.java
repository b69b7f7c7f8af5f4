/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox as a {@link Flow.Publisher}: messages leave the inbox only as fast as the subscriber requests them, so
 * a subscriber that requests nothing makes the inbox fill up and the socket pause, as a slow {@code receive} does.
 *
 * <p>Signals go out from a drain loop on the executor, one run at a time (a work-in-progress counter serialises
 * them): requests and arrivals only schedule a run, so the subscriber is never called on the I/O thread nor from
 * inside its own {@code request}.
 */
final class InboxPublisher<T> implements Flow.Publisher<T> {
    private static final Logger log = LoggerFactory.getLogger(InboxPublisher.class);

    private final Inbox<T> inbox;
    private final Executor executor;
    private final Supplier<Throwable> failure; // why the connection failed for good, or null if it did not
    private final String connectionId;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    InboxPublisher(Inbox<T> inbox, Executor executor, Supplier<Throwable> failure, String connectionId) {
        this.inbox = inbox;
        this.executor = executor;
        this.failure = failure;
        this.connectionId = connectionId;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException("the messages of connection " + connectionId
                    + " already have a subscriber; a connection's messages go to one subscriber"));
            return;
        }
        Drain<T> drain = new Drain<>(this, subscriber);
        inbox.onAdd(drain::signal);
        try {
            executor.execute(drain::start);
        } catch (RuntimeException rejected) { // RejectedExecutionException, or a faulty executor
            inbox.onAdd(null);
            subscriber.onSubscribe(drain); // done already: its methods do nothing
            drain.fail(rejected(rejected));
        }
    }

    /** Why a subscriber gets no more signals: the configured executor would not take the task that runs them. */
    private IllegalStateException rejected(RuntimeException cause) {
        return new IllegalStateException(
                "the publisherExecutor of connection " + connectionId + " did not take a task (shut down?): "
                        + "its subscriber gets no more messages",
                cause);
    }

    /** One subscription, and the loop that feeds it. */
    private static final class Drain<T> implements Flow.Subscription {
        private final InboxPublisher<T> publisher;
        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger(1); // held by start() until onSubscribe returned
        private volatile boolean done; // cancelled, completed or failed
        private volatile Throwable badRequest;

        Drain(InboxPublisher<T> publisher, Flow.Subscriber<? super T> subscriber) {
            this.publisher = publisher;
            this.subscriber = subscriber;
        }

        void start() {
            try {
                subscriber.onSubscribe(this);
            } catch (Throwable t) {
                fail(t);
            }
            drain(); // gives up the hold taken at construction
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("request(n) needs n > 0, was " + n + " (rule 3.9)");
            } else {
                demand.getAndAccumulate(n, (current, add) -> current + add < 0 ? Long.MAX_VALUE : current + add);
            }
            signal();
        }

        @Override
        public void cancel() {
            done = true;
            publisher.inbox.onAdd(null);
        }

        /** Schedules a drain run unless one is running, which then goes round once more. */
        void signal() {
            if (work.getAndIncrement() == 0) {
                try {
                    publisher.executor.execute(this::drain);
                } catch (RuntimeException rejected) { // RejectedExecutionException, or a faulty executor
                    // no drain runs, so calling the subscriber here is still one signal at a time (rule 1.3)
                    fail(publisher.rejected(rejected));
                }
            }
        }

        private void drain() {
            int missed = 1;
            while (true) {
                while (!done) {
                    if (badRequest != null) {
                        fail(badRequest);
                        break;
                    }
                    if (demand.get() == 0) {
                        if (publisher.inbox.endedAndDrained()) {
                            finish(); // the end needs no demand (rule 1.2)
                        }
                        break;
                    }
                    Object next = publisher.inbox.pollNow();
                    if (next == null) {
                        break;
                    }
                    if (Inbox.isEnd(next)) {
                        finish();
                        break;
                    }
                    demand.decrementAndGet();
                    @SuppressWarnings("unchecked")
                    T message = (T) next;
                    try {
                        subscriber.onNext(message);
                    } catch (Throwable t) {
                        fail(t); // rule 2.13: a subscriber that throws is treated as cancelled
                    }
                }
                missed = work.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void finish() {
            done = true;
            Throwable failed = publisher.failure.get();
            try {
                if (failed != null) {
                    subscriber.onError(failed);
                } else {
                    subscriber.onComplete();
                }
            } catch (Throwable t) {
                log.warn("connection {}: a subscriber threw from onComplete/onError", publisher.connectionId, t);
            }
        }

        private void fail(Throwable error) {
            done = true;
            publisher.inbox.onAdd(null);
            try {
                subscriber.onError(error);
            } catch (Throwable t) {
                log.warn("connection {}: a subscriber threw from onError", publisher.connectionId, t);
            }
        }
    }
}
