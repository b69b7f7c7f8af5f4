/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import dev.tether.Transport;
import java.util.stream.Stream;

/** The transports this machine can run, for tests parameterized over them. */
public final class TransportsHere {
    private TransportsHere() {}

    /**
     * Returns NIO, then epoll and io_uring where they load. A test names it as
     * {@code @MethodSource("dev.tether.testing.TransportsHere#all")}.
     */
    public static Stream<Transport> all() {
        return Stream.of(Transport.NIO, Transport.EPOLL, Transport.IO_URING).filter(Transport::isAvailable);
    }
}
