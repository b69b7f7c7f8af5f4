/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsTheShortForms() {
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(2), converter.convert("2s"));
        assertEquals(Duration.ofMinutes(1), converter.convert("1m"));
        assertEquals(Duration.ofHours(3), converter.convert("3h"));
        assertEquals(Duration.ofSeconds(90), converter.convert(" 90s "));
    }

    @Test
    void readsIso8601() {
        assertEquals(Duration.ofMillis(500), converter.convert("PT0.5S"));
        assertEquals(Duration.ofSeconds(2), converter.convert("PT2S"));
        assertEquals(Duration.ofMinutes(90), converter.convert("PT1H30M"));
        assertEquals(Duration.ofSeconds(2), converter.convert("pt2s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "2 s", "2sec", "1.5s", "ms", "2S", "P2S", "abc", "99999999999999999999s"})
    void rejectsWhatIsNeitherFormAndSaysWhatWouldDo(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert(text));

        assertEquals("invalid duration '" + text + "': use 500ms, 2s, 1m or ISO-8601 like PT2S", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0ms", "0s", "PT0S", "PT-1S", "-1s", "-500ms"}) // one message for one mistake
    void rejectsZeroAndNegativeDurations(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert(text));

        assertTrue(e.getMessage().endsWith("must be more than zero"), e.getMessage());
    }

    @Test
    void anHourCountTooLargeForADurationIsRejectedNotOverflowed() {
        assertThrows(TypeConversionException.class, () -> converter.convert("999999999999999999h"));
    }

    @Test
    void aBadValueIsAUsageErrorNamingTheOption() {
        Commands.Result result = Commands.execute("tail", "--heartbeat", "2 sec");

        assertEquals(2, result.exitCode());
        assertTrue(
                result.err()
                        .contains("Invalid value for option '--heartbeat': invalid duration '2 sec': use 500ms, 2s,"),
                result.err());
    }
}
