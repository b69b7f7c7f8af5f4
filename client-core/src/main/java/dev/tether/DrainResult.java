/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * What {@link Connection#drain(java.time.Duration)} achieved before the connection closed.
 *
 * <p>The inbox hands messages over a socket read at a time and counts them so (as {@link Stats#inboxMessages()}
 * does): a read's messages count as delivered once the last of them is taken, and as left until then.
 *
 * @since 0.1
 */
public interface DrainResult {
    /** {@return true if everything read was delivered and every accepted send written before the timeout} */
    boolean completed();

    /**
     * {@return messages taken from the inbox while draining} Zero with a handler or batch handler, which get each
     * read's messages before the read ends, so none wait when draining starts.
     */
    long messagesDelivered();

    /**
     * {@return messages still in the inbox when the connection closed} They stay there: {@code receive} returns them
     * after the close, and the publisher hands them out before it completes.
     */
    long messagesLeft();

    /** {@return sends written to the socket while draining} */
    long sendsFlushed();

    /**
     * {@return frame bytes of the sends accepted before the drain that failed instead of being written: cut short by
     * the timeout, or lost when the server hung up first}
     */
    long bytesUnsent();
}
