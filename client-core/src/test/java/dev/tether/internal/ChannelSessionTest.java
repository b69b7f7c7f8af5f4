/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** Errors are sorted by type, never by their message text. */
class ChannelSessionTest {
    @Test
    void aBareSocketExceptionIsTheJdksReset() {
        assertTrue(ChannelSession.isReset(new SocketException("Connection reset")));
        assertTrue(ChannelSession.isReset(new SocketException("any words")), "the type decides, not the text");
    }

    @Test
    void otherErrorsAreNotResetsWhateverTheySay() {
        assertFalse(ChannelSession.isReset(new IOException("Connection reset by peer")));
        assertFalse(ChannelSession.isReset(new ConnectException("Connection reset")));
        assertFalse(ChannelSession.isReset(new NoRouteToHostException("reset")));
        assertFalse(ChannelSession.isReset(new IllegalStateException("reset")));
    }
}
