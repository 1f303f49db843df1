package io.metafed.evaluation.data;

import io.metafed.model.data.RatingTable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Finds repeated (user, item) ratings in loaded columns without a per-pair hash set: ratings are grouped by user
 * (a counting sort) and each user's items sorted, so memory stays a few bytes per rating.
 */
final class Duplicates {
    private Duplicates() {
    }

    /**
     * Applies {@code policy}: with {@link DuplicatePolicy#REFUSE} the first repeated rating in file order is an
     * error; with {@link DuplicatePolicy#KEEP_LAST} the earlier ratings of each repeated pair are removed and a
     * warning line counting them is added to {@code warnings}.
     */
    static void resolve(RatingTable.Builder ratings, Path file, DuplicatePolicy policy, List<String> warnings) {
        int n = ratings.size();
        IntIndex users = new IntIndex(1024);
        int[] dense = new int[n];
        for (int r = 0; r < n; r++) {
            dense[r] = users.add(ratings.user(r));
        }
        int[] start = new int[users.size() + 1];
        for (int r = 0; r < n; r++) {
            start[dense[r] + 1]++;
        }
        for (int u = 0; u < users.size(); u++) {
            start[u + 1] += start[u];
        }
        int[] order = new int[n];
        int[] fill = Arrays.copyOf(start, users.size());
        for (int r = 0; r < n; r++) {
            order[fill[dense[r]]++] = r;
        }
        dense = null;
        BitSet drop = new BitSet(n);
        long[] keys = new long[16];
        int firstRepeat = -1;
        int firstOriginal = -1;
        for (int u = 0; u < users.size(); u++) {
            int len = start[u + 1] - start[u];
            if (keys.length < len) {
                keys = new long[Math.max(len, keys.length * 2)];
            }
            for (int j = 0; j < len; j++) {
                int r = order[start[u] + j];
                keys[j] = ((long) ratings.item(r) << 32) | r;
            }
            Arrays.sort(keys, 0, len);
            for (int j = 1; j < len; j++) {
                if ((keys[j] >>> 32) == (keys[j - 1] >>> 32)) {
                    int earlier = (int) keys[j - 1];
                    int later = (int) keys[j];
                    drop.set(earlier);
                    if (firstRepeat < 0 || later < firstRepeat) {
                        firstRepeat = later;
                        firstOriginal = earlier;
                    }
                }
            }
        }
        int count = drop.cardinality();
        if (count == 0) {
            return;
        }
        if (policy == DuplicatePolicy.REFUSE) {
            throw new DataFormatException(file, ratings.line(firstRepeat), "duplicate rating of item "
                    + ratings.item(firstRepeat) + " by user " + ratings.user(firstRepeat) + " (also at line "
                    + ratings.line(firstOriginal) + "); " + count + " repeated (user, item) rating"
                    + (count == 1 ? "" : "s") + " in all; --duplicates keep-last keeps the last of each");
        }
        ratings.remove(drop);
        warnings.add(file.getFileName() + ": " + count + " duplicate (user, item) rating" + (count == 1 ? "" : "s")
                + " dropped, the last of each kept (--duplicates refuse stops instead)");
    }
}
