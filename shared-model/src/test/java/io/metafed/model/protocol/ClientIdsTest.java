package io.metafed.model.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientIdsTest {
    @Test
    void acceptsUpTo64SafeCharacters() {
        assertEquals("user-7", ClientIds.require("user-7"));
        assertEquals("a.B_c-9", ClientIds.require("a.B_c-9"));
        String longest = "x".repeat(64);
        assertEquals(longest, ClientIds.require(longest));
    }

    @Test
    void refusesEmptyTooLongUnsafeAndNull_namingTheValue() {
        for (String bad : new String[] {"", "x".repeat(65), "a/b", "a b", "é", "a\nb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClientIds.require(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientIds.require(null)).getMessage()
                .endsWith("found null"));
    }
}
