package io.metafed.simulation.report;

import io.metafed.simulation.SimulationRunner;
import java.io.PrintStream;

/**
 * Progress of a run on stderr. On a terminal, one line redrawn with {@code \r} as the run advances; otherwise
 * (a redirected log) one plain line per phase each time it passes another 10%, so logs stay a few kilobytes
 * instead of a redraw per round.
 */
public final class ProgressBar implements SimulationRunner.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean animate;
    private String prefix = "";
    private String last = "";
    private String lastPhase = "";
    private long lastDecile = -1;
    private boolean open;

    /** @param animate true on a terminal (e.g. {@code System.console() != null}) */
    public ProgressBar(PrintStream err, boolean animate) {
        this.err = err;
        this.animate = animate;
    }

    /** Text before the bar, e.g. the seed being run. */
    public void prefix(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void update(String phase, int done, int total) {
        long percent = 100L * done / total;
        if (!animate) {
            long decile = percent / 10;
            String key = prefix + "\u0000" + phase;
            if (!key.equals(lastPhase) || decile < lastDecile) {
                lastPhase = key; // a new phase (or a restart of one) counts from 0%
                lastDecile = 0;
            }
            if (decile > lastDecile) {
                err.printf("%s %s %d%% (%d/%d)%n", prefix, phase, decile * 10, done, total);
                lastDecile = decile;
            }
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        String line = String.format("\r%s %-16s [%s%s] %3d%% (%d/%d)", prefix, phase, "#".repeat(filled),
                ".".repeat(WIDTH - filled), percent, done, total);
        if (!line.equals(last)) {
            err.print(line);
            err.flush();
            last = line;
            open = true;
        }
    }

    /** Ends an animated bar's line, so other output starts on a line of its own. */
    public void finish() {
        if (open) {
            err.println();
            open = false;
            last = "";
        }
    }
}
