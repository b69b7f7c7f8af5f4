/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * How a frame becomes a message and a message becomes a frame: text in a charset, or raw bytes. Immutable; one
 * instance can serve many clients.
 *
 * <pre>{@code
 * ClientConfig<String> text = ClientConfig.builder().remoteAddress("127.0.0.1", 9000).build();   // UTF-8
 * ClientConfig<String> latin = ClientConfig.builder(Codec.text(StandardCharsets.ISO_8859_1))...
 * ClientConfig<byte[]> bytes = ClientConfig.builder(Codec.bytes())...
 * }</pre>
 *
 * @param <T> the message type: {@code String} or {@code byte[]}
 * @since 0.1
 */
public final class Codec<T> {
    private static final Codec<String> UTF_8 = new Codec<>(String.class, StandardCharsets.UTF_8, false);
    private static final Codec<byte[]> BYTES = new Codec<>(byte[].class, null, false);

    private final Class<T> messageType;
    private final Charset charset; // null for bytes
    private final boolean strict;

    private Codec(Class<T> messageType, Charset charset, boolean strict) {
        this.messageType = messageType;
        this.charset = charset;
        this.strict = strict;
    }

    /**
     * UTF-8 text, with invalid input replaced by U+FFFD; the default.
     *
     * @return the codec
     */
    public static Codec<String> utf8() {
        return UTF_8;
    }

    /**
     * Text in the given charset; bytes that are not valid in it decode to the replacement character (U+FFFD).
     *
     * @param charset the charset of frames, both ways
     * @return the codec
     */
    public static Codec<String> text(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return StandardCharsets.UTF_8.equals(charset) ? UTF_8 : new Codec<>(String.class, charset, false);
    }

    /**
     * Text in the given charset, where a frame that is not valid in it is dropped and reported as a
     * {@link dev.tether.MalformedFrameException} to the listener; the connection carries on.
     *
     * @param charset the charset of frames, both ways
     * @return the codec
     */
    public static Codec<String> strictText(Charset charset) {
        return new Codec<>(String.class, Objects.requireNonNull(charset, "charset"), true);
    }

    /**
     * Raw bytes: each frame arrives as a {@code byte[]}, and a sent {@code byte[]} is written as it is.
     *
     * @return the codec
     */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    /**
     * Returns the message type, {@code String.class} or {@code byte[].class}.
     *
     * @return the message type
     */
    public Class<T> messageType() {
        return messageType;
    }

    /**
     * Returns the charset for a text codec; empty for bytes.
     *
     * @return the charset
     */
    public Optional<Charset> charset() {
        return Optional.ofNullable(charset);
    }

    /**
     * Tells whether invalid text drops the frame ({@code true}) rather than decoding to U+FFFD.
     *
     * @return {@code true} for {@link #strictText(Charset)}
     */
    public boolean isStrict() {
        return strict;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Codec<?> other
                && messageType == other.messageType
                && strict == other.strict
                && Objects.equals(charset, other.charset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messageType, charset, strict);
    }

    @Override
    public String toString() {
        if (charset == null) {
            return "bytes()";
        }
        return (strict ? "strictText(" : "text(") + charset.name() + ")";
    }
}
