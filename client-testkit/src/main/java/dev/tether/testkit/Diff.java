/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.nio.charset.StandardCharsets;

/** Formats expected-versus-actual text and bytes for failure messages. */
final class Diff {
    private static final int MAX_HEX_BYTES = 64;

    private Diff() {}

    /** Returns a message with both lines quoted and escaped, and a caret under the first difference. */
    static String lines(String expected, String actual) {
        int at = firstDifference(expected, actual);
        String caret = " ".repeat(quote(expected.substring(0, at)).length() - 1) + "^";
        return "line differs at index " + at + "\n  expected: " + quote(expected) + "\n  actual:   " + quote(actual)
                + "\n            " + caret;
    }

    /** Returns a message with both frames in hex and as text, naming the first differing byte. */
    static String frames(byte[] expected, byte[] actual) {
        String what = expected.length == actual.length
                ? "frame differs at byte " + firstDifference(expected, actual)
                : "frame length differs: expected " + expected.length + " bytes, was " + actual.length;
        return what + "\n  expected: " + bytes(expected) + "\n  actual:   " + bytes(actual);
    }

    /** Returns {@code text} in double quotes, with control characters and quotes escaped as in Java source. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Returns "n bytes [hex...] "text"", the hex cut after 64 bytes. */
    static String bytes(byte[] data) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(data.length, MAX_HEX_BYTES); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", data[i] & 0xff));
        }
        if (data.length > MAX_HEX_BYTES) {
            hex.append(" ... (+").append(data.length - MAX_HEX_BYTES).append(" more)");
        }
        return data.length + " bytes [" + hex + "] " + quote(new String(data, StandardCharsets.UTF_8));
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    private static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return n;
    }
}
