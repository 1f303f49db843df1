package io.metafed.model.features;

import io.metafed.model.data.ItemProfile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Release-year buckets fitted to a catalogue: edges at its year quantiles, so each bucket holds about the same
 * number of items and the newest items get a bucket of their own whatever the dataset's range (MovieLens-100K
 * ends in 1998, ml-latest in 2018; fixed decade buckets would lump its last twenty years together).
 */
public final class YearBuckets {
    /** Known-year buckets fitted by default: with "unknown" the field has 8 columns, as the legacy one. */
    public static final int DEFAULT_BUCKETS = 7;

    private YearBuckets() {
    }

    /**
     * Edges splitting the known years of {@code items} into at most {@code buckets} quantile buckets; when years
     * repeat so much that quantiles coincide, the spare buckets go to the newest distinct years. Empty when no item
     * has a known year or all share one year.
     */
    public static List<Integer> fit(Collection<ItemProfile> items, int buckets) {
        int[] years = items.stream().mapToInt(ItemProfile::releaseYear).filter(y -> y != ItemProfile.UNKNOWN_YEAR)
                .sorted().toArray();
        List<Integer> edges = new ArrayList<>();
        if (years.length == 0) {
            return edges;
        }
        for (int j = 1; j < buckets; j++) {
            int edge = years[(int) ((long) j * years.length / buckets)];
            // An edge at the minimum would leave the first bucket empty; repeated quantiles collapse into one.
            if (edge > years[0] && (edges.isEmpty() || edge > edges.get(edges.size() - 1))) {
                edges.add(edge);
            }
        }
        // Quantiles collapse on a catalogue dominated by a few years; spend the buckets left on the newest years,
        // so the latest releases (the new items of a cold-start split) still get buckets of their own.
        int[] distinct = java.util.Arrays.stream(years).distinct().toArray();
        for (int d = distinct.length - 1; d > 0 && edges.size() < buckets - 1; d--) {
            if (!edges.contains(distinct[d])) {
                edges.add(distinct[d]);
            }
        }
        edges.sort(null);
        return edges;
    }

    /** The column of {@code year} among buckets over {@code edges}: 0 unknown, then 1 + edges below or at it. */
    public static int bucket(List<Integer> edges, int year) {
        if (year == ItemProfile.UNKNOWN_YEAR) {
            return 0;
        }
        int lo = 0;
        int hi = edges.size();
        while (lo < hi) { // number of edges <= year
            int mid = (lo + hi) >>> 1;
            if (edges.get(mid) <= year) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return 1 + lo;
    }

    /** Human-readable bucket labels, e.g. [unknown, <1970, 1970–1984, ≥1995]. */
    public static List<String> labels(List<Integer> edges) {
        List<String> out = new ArrayList<>(List.of("unknown"));
        if (edges.isEmpty()) {
            out.add("all years");
            return out;
        }
        out.add("<" + edges.get(0));
        for (int i = 1; i < edges.size(); i++) {
            out.add(edges.get(i - 1) + (edges.get(i) - 1 == edges.get(i - 1) ? "" : "–" + (edges.get(i) - 1)));
        }
        out.add("≥" + edges.get(edges.size() - 1));
        return out;
    }
}
