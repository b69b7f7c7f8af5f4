/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.Transport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportsTest {

    @Test
    void autoTakesEpollWhereItIsAvailableElseNio() {
        assertEquals(Transport.EPOLL, Transports.choose(true));
        assertEquals(Transport.NIO, Transports.choose(false));
    }

    @Test
    void availabilityIsNettysAndIoUringNeedsOneShotPolls() {
        assertTrue(Transport.AUTO.isAvailable());
        assertTrue(Transport.NIO.isAvailable());
        assertEquals(Epoll.isAvailable(), Transport.EPOLL.isAvailable());
        assertEquals(IoUring.isAvailable() && !IoUring.isPollAddMultishotEnabled(), Transport.IO_URING.isAvailable());
    }

    @Test
    void anUnavailableNativeTransportIsRefusedWithNettysReason() {
        if (!Epoll.isAvailable()) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> Transports.resolve(Transport.EPOLL));
            assertTrue(e.getMessage().startsWith("transport EPOLL is not available here: "), e.getMessage());
        } else {
            assertEquals(Transport.EPOLL, Transports.resolve(Transport.EPOLL));
        }
        if (!IoUring.isAvailable()) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> Transports.resolve(Transport.IO_URING));
            assertTrue(e.getMessage().startsWith("transport IO_URING is not available here: "), e.getMessage());
        } else {
            assertEquals(Transport.IO_URING, Transports.resolve(Transport.IO_URING));
        }
        assertEquals(Transport.NIO, Transports.resolve(Transport.NIO));
    }
}
