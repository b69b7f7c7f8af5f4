/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WriteBufferTest {
    @Test
    void theDefaultIsBoundedWithRoomForBursts() {
        WriteBuffer defaults = WriteBuffer.defaults();

        assertEquals(32 * 1024, defaults.lowWaterMark());
        assertEquals(64 * 1024, defaults.highWaterMark());
        assertEquals(8L << 20, defaults.maxPendingBytes());
        assertEquals(
                "WriteBuffer{lowWaterMark=32768, highWaterMark=65536, maxPendingBytes=8388608}", defaults.toString());
        assertEquals(
                defaults, ClientConfig.builder().remoteAddress("h", 1).build().writeBuffer());
    }

    @Test
    void eachPolicySetsItsLimit() {
        assertEquals(100, WriteBuffer.failFast(10, 100).maxPendingBytes());
        assertEquals(Long.MAX_VALUE, WriteBuffer.unbounded(10, 100).maxPendingBytes());
        assertEquals(1000, WriteBuffer.bounded(10, 100, 1000).maxPendingBytes());
        assertEquals(
                "WriteBuffer{failFast, lowWaterMark=10, highWaterMark=100}",
                WriteBuffer.failFast(10, 100).toString());
        assertEquals(
                "WriteBuffer{unbounded, lowWaterMark=10, highWaterMark=100}",
                WriteBuffer.unbounded(10, 100).toString());
        assertEquals(WriteBuffer.failFast(10, 100), WriteBuffer.bounded(10, 100, 100));
        assertNotEquals(WriteBuffer.unbounded(10, 100), WriteBuffer.failFast(10, 100));
    }

    @Test
    void badFiguresAreRejectedNamingThem() {
        assertEquals(
                "write buffer water marks must satisfy 0 <= low <= high and high > 0, were low 200, high 100",
                assertThrows(IllegalArgumentException.class, () -> WriteBuffer.unbounded(200, 100))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> WriteBuffer.failFast(-1, 100));
        assertThrows(IllegalArgumentException.class, () -> WriteBuffer.unbounded(0, 0));
        assertEquals(
                "maxPendingBytes must be >= the high water mark 100, was 99",
                assertThrows(IllegalArgumentException.class, () -> WriteBuffer.bounded(10, 100, 99))
                        .getMessage());
    }
}
