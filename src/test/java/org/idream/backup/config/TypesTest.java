package org.idream.backup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TypesTest {
    @Test
    void durationsAcceptDaysAsSystemdAndPrometheusWriteThem() {
        assertEquals(Duration.ofDays(7), Types.duration("7d"));
        assertEquals(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4), Types.duration("1d2h3m4s"));
        assertEquals(Duration.ofSeconds(30), Types.duration("30s"));
        assertEquals(Duration.ZERO, Types.duration("0s"));
        assertThrows(IllegalArgumentException.class, () -> Types.duration("2h1d"));
    }

    @Test
    void aChoiceIsOneOfItsWords() {
        Type<String> t = Types.choice("auto", "required", "off");
        assertEquals("required", t.parser().apply(" Required "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.parser().apply("on"));
        assertEquals("must be auto, required or off", e.getMessage());
    }
}
