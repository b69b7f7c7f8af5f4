/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The few DER encodings an X.509 certificate needs, written by hand so the kit needs no ASN.1 library. */
final class Der {
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private Der() {}

    static byte[] sequence(byte[]... parts) {
        return element(0x30, concat(parts));
    }

    static byte[] set(byte[]... parts) {
        return element(0x31, concat(parts));
    }

    static byte[] integer(BigInteger value) {
        return element(0x02, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return element(0x01, new byte[] {(byte) (value ? 0xff : 0)});
    }

    static byte[] octetString(byte[] content) {
        return element(0x04, content);
    }

    /** A BIT STRING of whole bytes. */
    static byte[] bitString(byte[] content) {
        return element(0x03, concat(new byte[] {0}, content));
    }

    static byte[] utf8(String text) {
        return element(0x0c, text.getBytes(StandardCharsets.UTF_8));
    }

    /** UTCTime up to 2049, GeneralizedTime after, as RFC 5280 says. */
    static byte[] time(Instant instant) {
        boolean utc = instant.atZone(ZoneOffset.UTC).getYear() < 2050;
        String text = (utc ? UTC_TIME : GENERALIZED_TIME).format(instant);
        return element(utc ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** An OBJECT IDENTIFIER from its dotted form. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = 1;
            for (long rest = arc >>> 7; rest > 0; rest >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int seven = (int) ((arc >>> (7 * g)) & 0x7f);
                out.write(g > 0 ? seven | 0x80 : seven);
            }
        }
        return element(0x06, out.toByteArray());
    }

    /** A context-specific tag: constructed ({@code [n]} around other elements) or primitive (a tagged value). */
    static byte[] tagged(int number, boolean constructed, byte[] content) {
        return element((constructed ? 0xa0 : 0x80) | number, content);
    }

    static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
