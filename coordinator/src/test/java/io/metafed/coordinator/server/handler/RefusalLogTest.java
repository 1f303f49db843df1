package io.metafed.coordinator.server.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The refusal log's rate limit and its defence against log forging, on a hand-moved clock. */
class RefusalLogTest {
    @Test
    void flood_logsAtMostTwentyPerCodeAndWindow_thenSaysHowManyWereLeftOut() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        RefusalLog log = new RefusalLog(lines::add, now::get);
        for (int i = 0; i < 500; i++) {
            log.refused("/v1/task", "c" + i, "/127.0.0.1:5000", 401, "bad_signature", "signature does not verify");
        }
        log.refused("/v1/update", "x", "/127.0.0.1:5001", 400, "bad_update", "NaN");
        assertEquals(RefusalLog.PER_WINDOW + 1, lines.size(), "20 of one code, and the other code's first");
        assertTrue(lines.get(0).equals("Refused /v1/task from client c0 at /127.0.0.1:5000: 401 bad_signature:"
                + " signature does not verify"), lines.get(0));
        now.addAndGet(RefusalLog.WINDOW_SECONDS * 1_000_000_000L);
        log.refused("/v1/task", "late", "/127.0.0.1:5000", 401, "bad_signature", "again");
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("client late") && last.contains("480 more bad_signature refusals"), last);
    }

    @Test
    void clientText_cannotForgeLogLines() {
        List<String> lines = new ArrayList<>();
        new RefusalLog(lines::add, System::nanoTime).refused("/v1/task", "evil\nINFO all good", "/127.0.0.1:1", 403,
                "unknown_client", "x".repeat(1_000));
        assertEquals(1, lines.get(0).lines().count(), lines.get(0));
        assertTrue(lines.get(0).length() < 500, "bounded length");
    }
}
