package io.metafed.coordinator.server.handler;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused and forged requests (4xx answers) with the client id, address and reason, rate-limited so that a
 * flood cannot fill the disk: at most {@value #PER_WINDOW} lines per error code per {@value #WINDOW_SECONDS} s;
 * the first line after a window names how many were left out. Thread-safe.
 */
public final class RefusalLog {
    static final int PER_WINDOW = 20;
    static final long WINDOW_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
    private final Consumer<String> sink;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new HashMap<>(); // guarded by this

    private static final class Window {
        long start;
        int logged;
        int suppressed;
    }

    public RefusalLog() {
        this(LOG::warn, System::nanoTime);
    }

    RefusalLog(Consumer<String> sink, LongSupplier nanoTime) {
        this.sink = sink;
        this.nanoTime = nanoTime;
    }

    /** Client-supplied text on one line and bounded, so a request cannot forge or flood log lines. */
    static String clean(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    /** Records one refusal; logs it unless its code already used this window's lines. */
    public void refused(String route, String client, String remote, int status, String code, String reason) {
        String line;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            Window w = windows.computeIfAbsent(code, c -> {
                Window fresh = new Window();
                fresh.start = now;
                return fresh;
            });
            String dropped = "";
            if (now - w.start >= WINDOW_SECONDS * 1_000_000_000L) {
                if (w.suppressed > 0) {
                    dropped = " (" + w.suppressed + " more " + code + " refusals were not logged in the previous "
                            + WINDOW_SECONDS + " s)";
                }
                w.start = now;
                w.logged = 0;
                w.suppressed = 0;
            }
            if (w.logged >= PER_WINDOW) {
                w.suppressed++;
                return;
            }
            w.logged++;
            line = "Refused " + route + " from client " + clean(client) + " at " + remote + ": " + status + " " + code
                    + ": " + clean(reason) + dropped;
        }
        sink.accept(line);
    }
}
