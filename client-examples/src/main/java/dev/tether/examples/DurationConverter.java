/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option the way people type it: a whole number and a unit, {@code 500ms}, {@code 2s}, {@code 1m}
 * or {@code 1h}, or ISO-8601 such as {@code PT0.5S}. Zero and negative durations are rejected: every duration option
 * of the examples is a timeout or an interval.
 *
 * <p>A value it rejects is a usage error (exit code 2), reported by picocli as
 * {@code Invalid value for option '--heartbeat': invalid duration '2 sec': use 500ms, 2s, 1m or ISO-8601 like PT2S}.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    // at most 18 digits, so the number always fits in a long; the unit may still overflow a Duration (hours)
    private static final Pattern SHORT = Pattern.compile("(-?\\d{1,18})(ms|s|m|h)"); // a sign, to say it is negative

    @Override
    public Duration convert(String text) {
        Duration duration = parse(text.strip());
        if (duration == null) {
            throw new TypeConversionException(
                    "invalid duration '" + text + "': use 500ms, 2s, 1m or ISO-8601 like PT2S");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("invalid duration '" + text + "': must be more than zero");
        }
        return duration;
    }

    /** Returns the duration {@code text} stands for, or null if it is neither form. */
    private static Duration parse(String text) {
        try {
            Matcher shortForm = SHORT.matcher(text);
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                return switch (shortForm.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
