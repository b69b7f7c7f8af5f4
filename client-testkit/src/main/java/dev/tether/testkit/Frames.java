/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

/** Length-prefixed frames: a big-endian length of 1, 2, 4 or 8 bytes that counts the payload only. */
final class Frames {
    private Frames() {}

    static void checkPrefix(int prefixBytes) {
        if (prefixBytes != 1 && prefixBytes != 2 && prefixBytes != 4 && prefixBytes != 8) {
            throw new IllegalArgumentException("frame prefixBytes must be 1, 2, 4 or 8, was " + prefixBytes);
        }
    }

    /** Returns the prefix followed by the payload. */
    static byte[] encode(int prefixBytes, byte[] payload) {
        checkPrefix(prefixBytes);
        long max = prefixBytes >= 4 ? Integer.MAX_VALUE : (1L << (8 * prefixBytes)) - 1;
        if (payload.length > max) {
            throw new IllegalArgumentException("frame payload of " + payload.length + " bytes does not fit a "
                    + prefixBytes + "-byte length prefix (max " + max + ")");
        }
        byte[] frame = new byte[prefixBytes + payload.length];
        long length = payload.length;
        for (int i = prefixBytes - 1; i >= 0; i--) {
            frame[i] = (byte) length;
            length >>>= 8;
        }
        System.arraycopy(payload, 0, frame, prefixBytes, payload.length);
        return frame;
    }

    /** Returns the length in a big-endian prefix, unsigned for 1, 2 and 4 bytes and signed for 8. */
    static long decodeLength(byte[] prefix) {
        long length = 0;
        for (byte b : prefix) {
            length = (length << 8) | (b & 0xff);
        }
        return length;
    }
}
