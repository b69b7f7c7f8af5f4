/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientConfig;
import dev.tether.ClientException;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionClosedException.Reason;
import dev.tether.ConnectionState;
import dev.tether.SendBuffer;
import dev.tether.SendRejectedException;
import dev.tether.WriteBuffer;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The send path of one connection: the write limits, the outage buffer, the gate that holds sends back until the
 * on-connect hook is done, flush batching, and the waiters of {@code whenWritable()}.
 *
 * <p>Limits are applied where a send is made: {@link #send} counts the message's frame bytes in the caller's thread
 * before anything is queued, and the loop subtracts them as writes complete, so a sender that never looks at
 * {@link #isWritable()} cannot fill memory with queued tasks.
 *
 * <p>Threads: {@link #send}, {@link #isWritable()} and {@link #whenWritable()} from any thread; everything else on
 * the connection's event loop.
 */
final class Outbox {
    /** What the outbox asks of its connection, for decisions and for the messages of refused sends. */
    interface Owner {
        ConnectionState state();

        /** Whether the application asked the connection to close: sends are refused from then on. */
        boolean isClosing();

        /** Why the channel is closing or the last one closed; null if none did yet. */
        ConnectionClosedException closeCause();

        /** The connection in a few words for messages: {@code "connection c#1 to host:9000"}. */
        String describe();
    }

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Owner owner;
    private final WriteBuffer writeBuffer;
    private final SendBuffer sendBuffer;
    private final Charset charset;
    private final int frameOverhead; // the delimiter or length prefix the framing adds to each message
    private final Counters counters; // the connection's: sends written are counted there

    /**
     * Frame bytes of the sends accepted and not yet written to the socket or failed: queued for the loop, buffered
     * during an outage, or in the channel's outbound buffer. Added by the sending thread, subtracted on the loop.
     */
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Frame bytes of the sends accepted (counted) and then failed, since the connection was made; for a drain. */
    private final AtomicLong failedBytes = new AtomicLong();
    /** Sends in the outage buffer; written on the loop, read by {@code stats()}. */
    private volatile int bufferedCount;
    /** The channel sends go straight to: hook done and buffer flushed; null while the gate is shut. */
    private volatile Channel open;

    // Loop only.
    private ArrayDeque<PendingSend> buffered; // made on first use: most connections never buffer a send
    private long bufferedBytes;
    private List<CompletableFuture<Void>> writableWaiters; // made on first use, like the buffer
    private Channel flushPending; // the channel with writes not yet flushed, or null
    private boolean flushTaskQueued;
    private boolean reading; // a read is being delivered: sends made meanwhile are flushed when it completes
    private Runnable whenFlushed; // a drain waiting for every accepted send to be written, or null
    private final Runnable flushTask = () -> {
        flushTaskQueued = false;
        flushNow();
    };

    Outbox(ClientConfig<?> config, EventLoopGroup group, EventLoop loop, Owner owner, Counters counters) {
        this.group = group;
        this.loop = loop;
        this.owner = owner;
        this.counters = counters;
        this.writeBuffer = config.writeBuffer();
        this.sendBuffer = config.sendBuffer();
        this.charset = config.codec().charset().orElse(StandardCharsets.UTF_8);
        this.frameOverhead =
                config.framing().delimiter().length + config.framing().lengthFieldSize();
    }

    /** Sends {@code message} (a {@code String} or {@code byte[]}), from any thread. */
    CompletableFuture<Void> send(Object message) {
        long size = frameSize(message);
        ClientException refusal = reserve(size);
        SendFuture future = new SendFuture(refusal == null ? size : 0, size);
        if (refusal != null) {
            future.fail(refusal);
        } else if (loop.inEventLoop()) {
            sendOnLoop(message, future);
        } else {
            try {
                loop.execute(() -> sendOnLoop(message, future));
            } catch (RejectedExecutionException terminated) {
                future.fail(refused()); // the loop is gone: nothing else touches the count now
            }
        }
        return future;
    }

    /**
     * Sends ahead of the gate, uncounted, on the channel {@code link} gives if {@code current} still holds when the
     * loop gets to it (both read on the loop): the on-connect hook's sends, which go out before everyone else's.
     */
    CompletableFuture<Void> sendFirst(Supplier<Channel> link, Object message, BooleanSupplier current) {
        SendFuture future = new SendFuture(0, frameSize(message));
        Connector.onLoop(loop, () -> {
            Channel channel = link.get();
            if (current.getAsBoolean() && channel.isActive()) {
                write(channel, message, future);
            } else {
                future.fail(refused());
            }
        });
        return future;
    }

    /**
     * Counts a send's bytes as waiting unless the limit in force refuses it: the {@link WriteBuffer} while the gate
     * is open, the {@link SendBuffer} while not. Returns why the send is refused, or null if it was counted.
     */
    private ClientException reserve(long size) {
        if (isClosed() || owner.isClosing()) {
            return refused();
        }
        boolean isOpen = open != null;
        if (!isOpen && !sendBuffer.isEnabled()) {
            return notConnected();
        }
        long before = pendingBytes.getAndAdd(size);
        if (isOpen ? before >= writeBuffer.maxPendingBytes() : before + size > sendBuffer.maxBytes()) {
            long waiting = pendingBytes.addAndGet(-size);
            if (waiting < writeBuffer.lowWaterMark() || waiting == 0) {
                // the loop's last release may have seen the count with this send's bytes in it, and not woken
                // the waiters (or a drain waiting for every send to be written): have it look again
                Connector.onLoop(loop, this::wakeWaiters);
            }
            return isOpen ? unwritable(before) : bufferFull(before + " bytes wait");
        }
        return null;
    }

    private void sendOnLoop(Object message, SendFuture future) {
        Channel channel = open;
        if (channel != null) {
            write(channel, message, future); // the write limit was applied when the send was counted
        } else if (isClosed()) {
            future.fail(refused());
        } else if (!sendBuffer.isEnabled()) {
            future.fail(notConnected());
        } else {
            if (buffered == null) {
                buffered = new ArrayDeque<>();
            }
            if (buffered.size() >= sendBuffer.maxMessages() || bufferedBytes + future.size > sendBuffer.maxBytes()) {
                future.fail(bufferFull(buffered.size() + " messages, " + bufferedBytes + " bytes"));
                return;
            }
            buffered.add(new PendingSend(message, future));
            bufferedBytes += future.size;
            bufferedCount = buffered.size();
        }
    }

    /** The bytes a message takes on the wire: its encoding plus the framing's delimiter or length prefix. */
    private long frameSize(Object message) {
        if (message instanceof byte[] bytes) {
            return bytes.length + frameOverhead;
        }
        String text = (String) message;
        long encoded = charset == StandardCharsets.UTF_8
                ? ByteBufUtil.utf8Bytes(text)
                : charset == StandardCharsets.ISO_8859_1 || charset == StandardCharsets.US_ASCII
                        ? text.length()
                        : text.getBytes(charset).length;
        return encoded + frameOverhead;
    }

    /**
     * Opens the gate on {@code channel}: what waited in the outage buffer goes first, in order, then every send
     * goes straight to the channel.
     */
    void open(Channel channel) {
        while (buffered != null && !buffered.isEmpty()) {
            PendingSend pending = buffered.poll();
            bufferedBytes -= pending.future.size;
            bufferedCount = buffered.size();
            channel.write(pending.message).addListener(pending.future);
        }
        channel.flush();
        open = channel;
        wakeWritableWaiters();
    }

    /** Shuts the gate: the channel is down, and sends buffer (or fail) until the next one opens it. */
    void shut() {
        open = null;
    }

    /**
     * Writes without flushing, and makes sure one flush follows: sends that come together (a burst from another
     * thread, or several from a handler during one read) share one flush, so one system call. The flush runs as a
     * task after the tasks already queued, which include the burst's other sends, or when the read completes.
     */
    private void write(Channel channel, Object message, SendFuture future) {
        channel.write(message).addListener(future);
        if (flushPending != channel) {
            if (flushPending != null) {
                flushPending.flush(); // a channel of an earlier link: flush it now, and this one later
            }
            flushPending = channel;
        }
        if (!reading && !flushTaskQueued) {
            flushTaskQueued = true;
            loop.execute(flushTask);
        }
    }

    /** A read is being delivered: replies sent meanwhile wait for {@link #readComplete()}. */
    void reading() {
        reading = true;
    }

    /** The read is delivered: what the handlers sent during it goes out in one flush. */
    void readComplete() {
        reading = false;
        flushNow();
    }

    private void flushNow() {
        Channel channel = flushPending;
        flushPending = null;
        if (channel != null) {
            channel.flush();
        }
    }

    /** Frame bytes of the sends accepted and not yet written or failed; from any thread. */
    long pendingBytes() {
        return pendingBytes.get();
    }

    /** Frame bytes of the sends that were accepted and then failed, so far; from any thread. */
    long failedBytes() {
        return failedBytes.get();
    }

    /** Sends waiting in the outage buffer; from any thread. */
    int bufferedSends() {
        return bufferedCount;
    }

    /**
     * Runs {@code task} on the loop once no accepted send waits to be written, at once if none does; null cancels.
     * For a drain: new sends are refused by then, so the count only falls.
     */
    void whenFlushed(Runnable task) {
        whenFlushed = task;
        if (task != null && pendingBytes.get() == 0) {
            whenFlushed = null;
            task.run();
        }
    }

    /** Whether the gate is open and fewer bytes than the high water mark wait; from any thread. */
    boolean isWritable() {
        return open != null && pendingBytes.get() < writeBuffer.highWaterMark();
    }

    /** Completes once the connection is writable; fails if it closes first. From any thread. */
    CompletableFuture<Void> whenWritable() {
        CompletableFuture<Void> writable = new LoopAwareFuture<>(group);
        Connector.onLoop(loop, () -> {
            if (isClosed()) {
                writable.completeExceptionally(refused());
            } else if (isWritable()) {
                writable.complete(null);
            } else {
                if (writableWaiters == null) {
                    writableWaiters = new ArrayList<>();
                }
                writableWaiters.add(writable);
            }
        });
        return writable;
    }

    /** Wakes the writability waiters, and a drain if no accepted send waits any more; on the loop. */
    private void wakeWaiters() {
        wakeWritableWaiters();
        Runnable drain = whenFlushed;
        if (drain != null && pendingBytes.get() == 0) {
            whenFlushed = null;
            drain.run();
        }
    }

    private void wakeWritableWaiters() {
        if (writableWaiters != null && !writableWaiters.isEmpty() && isWritable()) {
            List<CompletableFuture<Void>> ready = new ArrayList<>(writableWaiters);
            writableWaiters.clear();
            ready.forEach(waiter -> waiter.complete(null));
        }
    }

    /** The connection ended: buffered sends and writability waiters fail with {@code cause}. */
    void end(ConnectionClosedException cause) {
        open = null;
        while (buffered != null && !buffered.isEmpty()) {
            buffered.poll()
                    .future
                    .fail(new ConnectionClosedException(
                            "buffered send not written: " + cause.getMessage(), cause.reason(), cause));
        }
        bufferedBytes = 0;
        bufferedCount = 0;
        if (writableWaiters != null && !writableWaiters.isEmpty()) {
            ConnectionClosedException closed = new ConnectionClosedException(
                    owner.describe() + " closed: " + cause.getMessage(), cause.reason(), cause);
            writableWaiters.forEach(waiter -> waiter.completeExceptionally(closed));
            writableWaiters.clear();
        }
    }

    private boolean isClosed() {
        return owner.state() == ConnectionState.CLOSED;
    }

    private String stateText() {
        return owner.state().name().toLowerCase(Locale.ROOT);
    }

    /** Why a send cannot go out now: the connection is closed, or its channel is closing. */
    private ConnectionClosedException refused() {
        ConnectionClosedException cause = owner.closeCause();
        if (cause == null && owner.isClosing()) {
            return new ConnectionClosedException(
                    "cannot send: " + owner.describe() + " is closing: closed by the application",
                    Reason.APPLICATION,
                    null);
        }
        String why = cause != null ? cause.getMessage() : owner.describe() + " is " + stateText();
        return new ConnectionClosedException(
                "cannot send: " + why, cause != null ? cause.reason() : Reason.FAILURE, cause);
    }

    private ConnectionClosedException notConnected() {
        return new ConnectionClosedException(
                "cannot send: " + owner.describe() + " is " + stateText()
                        + ", and SendBuffer.disabled() rejects sends until it is connected",
                Reason.FAILURE,
                owner.closeCause());
    }

    private SendRejectedException unwritable(long waiting) {
        return new SendRejectedException("cannot send: " + owner.describe() + " is not writable (" + waiting
                + " bytes wait to be written, at or over the limit of " + writeBuffer.maxPendingBytes() + " set by "
                + writeBuffer + "); wait for whenWritable() or send less");
    }

    private SendRejectedException bufferFull(String waiting) {
        return new SendRejectedException("cannot send: the send buffer of " + owner.describe() + " is full ("
                + waiting + "; limits " + sendBuffer.maxMessages() + " messages, " + sendBuffer.maxBytes()
                + " bytes) while it is " + stateText());
    }

    /** A send waiting in the outage buffer for the connection to come back. */
    private record PendingSend(Object message, SendFuture future) {}

    /** The future of one send, and the channel's write listener too: one object per send for both. */
    private final class SendFuture extends LoopAwareFuture<Void> implements ChannelFutureListener {
        /** Frame bytes counted in {@link #pendingBytes} until this send completes; zero once released. */
        private long size;
        /** Frame bytes of the message, counted as sent once it is written. */
        private final long frameBytes;

        SendFuture(long size, long frameBytes) {
            super(group);
            this.size = size;
            this.frameBytes = frameBytes;
        }

        /** Fails the send and stops counting its bytes; on the loop, or the sender's thread once it is gone. */
        void fail(Throwable error) {
            if (size != 0) {
                failedBytes.addAndGet(size);
            }
            release();
            completeExceptionally(error);
        }

        @Override
        public void operationComplete(ChannelFuture written) {
            if (written.isSuccess()) {
                counters.add(Counters.MESSAGES_OUT, 1);
                counters.add(Counters.BYTES_OUT, frameBytes);
                release();
                complete(null);
            } else if (written.cause() instanceof ClosedChannelException) {
                fail(refused());
            } else {
                fail(written.cause());
            }
        }

        private void release() {
            if (size != 0) {
                long waiting = pendingBytes.addAndGet(-size);
                size = 0;
                // below the low mark, or nothing left at all (a low mark of 0 is never undercut)
                if ((waiting < writeBuffer.lowWaterMark() || waiting == 0) && loop.inEventLoop()) {
                    wakeWaiters();
                }
            }
        }
    }
}
