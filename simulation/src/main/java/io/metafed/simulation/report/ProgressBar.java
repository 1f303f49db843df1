package io.metafed.simulation.report;

import io.metafed.simulation.SimulationRunner;
import java.io.PrintStream;

/** A one-line terminal progress bar on stderr, redrawn only when the shown percentage changes. */
public final class ProgressBar implements SimulationRunner.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private String prefix = "";
    private String last = "";

    public ProgressBar(PrintStream err) {
        this.err = err;
    }

    /** Text before the bar, e.g. the seed being run. */
    public void prefix(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public void update(String phase, int done, int total) {
        int filled = (int) ((long) WIDTH * done / total);
        String line = String.format("\r%s %-16s [%s%s] %3d%% (%d/%d)", prefix, phase, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100L * done / total, done, total);
        if (!line.equals(last)) {
            err.print(line);
            err.flush();
            last = line;
        }
    }

    /** Ends the bar's line. */
    public void finish() {
        err.println();
    }
}
