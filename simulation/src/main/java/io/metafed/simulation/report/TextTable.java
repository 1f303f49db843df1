package io.metafed.simulation.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned first column and right-aligned others, for terminal output. */
public final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    public TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row must have " + header.size() + " cells, found " + cells.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public String render() {
        int[] width = new int[header.size()];
        for (List<String> r : withHeader()) {
            for (int c = 0; c < r.size(); c++) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        List<List<String>> all = withHeader();
        for (int i = 0; i < all.size(); i++) {
            List<String> r = all.get(i);
            for (int c = 0; c < r.size(); c++) {
                String cell = r.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                sb.append(c == 0 ? cell + pad : "  " + pad + cell);
            }
            sb.append('\n');
            if (i == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                sb.append("-".repeat(total - 2)).append('\n');
            }
        }
        return sb.toString();
    }

    private List<List<String>> withHeader() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
