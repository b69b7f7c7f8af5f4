/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramingTest {
    @Test
    void validatesEveryFactory() {
        assertEquals(
                "lines maxLength must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Framing.lines(0))
                        .getMessage());
        assertEquals(
                "delimiter must not be empty",
                assertThrows(IllegalArgumentException.class, () -> Framing.delimiter(new byte[0], 5))
                        .getMessage());
        assertThrows(NullPointerException.class, () -> Framing.delimiter(null, 5));
        assertEquals(
                "lengthField prefixBytes must be 1, 2, 4 or 8, was 3",
                assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(3, 5))
                        .getMessage());
        assertEquals(
                "lengthField maxLength (256) exceeds what a 1-byte prefix can express (255)",
                assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(1, 256))
                        .getMessage());
        assertEquals(
                "fixed size must be >= 1, was -1",
                assertThrows(IllegalArgumentException.class, () -> Framing.fixed(-1))
                        .getMessage());
    }

    @Test
    void isAValue() {
        assertEquals(Framing.lines(10), Framing.lines(10));
        assertEquals(Framing.lines(10).hashCode(), Framing.lines(10).hashCode());
        assertNotEquals(Framing.lines(10), Framing.lines(11));
        assertEquals(Framing.delimiter(new byte[] {0}, 4), Framing.delimiter(new byte[] {0}, 4));
        assertEquals(
                "delimiter(0x0d00, 4)", Framing.delimiter(new byte[] {13, 0}, 4).toString());
        assertEquals("lengthField(2, 100)", Framing.lengthField(2, 100).toString());
        assertEquals(Integer.MAX_VALUE, Framing.raw().maxLength());
    }

    @Test
    void delimiterIsCopiedBothWays() {
        byte[] d = {1, 2};
        Framing f = Framing.delimiter(d, 4);
        d[0] = 9;
        f.delimiter()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, f.delimiter());
    }

    @Test
    void codecsDescribeThemselves() {
        assertEquals("text(UTF-8)", Codec.utf8().toString());
        assertEquals(Codec.utf8(), Codec.text(StandardCharsets.UTF_8));
        assertEquals(
                "strictText(US-ASCII)",
                Codec.strictText(StandardCharsets.US_ASCII).toString());
        assertEquals("bytes()", Codec.bytes().toString());
        assertEquals(byte[].class, Codec.bytes().messageType());
        assertThrows(NullPointerException.class, () -> Codec.text(null));
    }
}
