package io.metafed.evaluation.task;

import io.metafed.evaluation.data.DataFormatException;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.RatingTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A published cold-start split: one line per rating, {@code user,item,partition} (comma- or tab-separated,
 * optionally under a header naming those columns), partition one of TRAIN, USER_COLD, ITEM_COLD, USER_ITEM_COLD
 * (any case). A user is new or existing throughout (USER_COLD/USER_ITEM_COLD vs TRAIN/ITEM_COLD), and so is an
 * item; every listed rating must be in the dataset. Ratings the file does not list take no part.
 */
public final class SplitFile {
    private final Path file;
    private final Map<Long, Partition> partitions;
    private final Set<Integer> newUsers;
    private final Set<Integer> newItems;
    private final int unlisted;

    private SplitFile(Path file, Map<Long, Partition> partitions, Set<Integer> newUsers, Set<Integer> newItems,
                      int unlisted) {
        this.file = file;
        this.partitions = partitions;
        this.newUsers = Set.copyOf(newUsers);
        this.newItems = Set.copyOf(newItems);
        this.unlisted = unlisted;
    }

    /** Reads {@code file} and checks it against {@code data}. */
    public static SplitFile read(Path file, Dataset data) {
        Map<Long, Partition> partitions = new HashMap<>();
        Map<Long, Integer> lines = new HashMap<>();
        Map<Integer, Integer> userKind = new HashMap<>(); // 1 new, 0 existing; sign of line of first use
        Map<Integer, Integer> userLine = new HashMap<>();
        Map<Integer, Integer> itemKind = new HashMap<>();
        Map<Integer, Integer> itemLine = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.trim().isEmpty()) {
                    continue;
                }
                String[] f = text.split(text.indexOf('\t') >= 0 ? "\t" : ",", -1);
                if (f.length != 3) {
                    throw new DataFormatException(file, line, "expected 3 fields user,item,partition, found "
                            + f.length);
                }
                if (line == 1 && !f[0].trim().matches("-?\\d+")) {
                    String header = String.join(",", f).toLowerCase(Locale.ROOT).replace(" ", "");
                    if (!header.matches("(user|user_id|userid),(item|item_id|itemid|movieid|movie_id),partition")) {
                        throw new DataFormatException(file, line, "header must name user,item,partition, found '"
                                + text + "'");
                    }
                    continue;
                }
                int user = parseInt(file, line, f[0], "user id");
                int item = parseInt(file, line, f[1], "item id");
                Partition p;
                try {
                    p = Partition.valueOf(f[2].trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new DataFormatException(file, line, "partition must be TRAIN, USER_COLD, ITEM_COLD or "
                            + "USER_ITEM_COLD, found '" + f[2] + "'", e);
                }
                long key = key(user, item);
                Integer before = lines.put(key, line);
                if (before != null) {
                    throw new DataFormatException(file, line, "rating of item " + item + " by user " + user
                            + " is listed twice (also at line " + before + ")");
                }
                partitions.put(key, p);
                boolean newUser = p == Partition.USER_COLD || p == Partition.USER_ITEM_COLD;
                boolean newItem = p == Partition.ITEM_COLD || p == Partition.USER_ITEM_COLD;
                consistent(file, line, "user", user, newUser, userKind, userLine);
                consistent(file, line, "item", item, newItem, itemKind, itemLine);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("split file is missing: " + file.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to read split file " + file, e);
        }
        if (partitions.isEmpty()) {
            throw new DataFormatException(file, 1, "split file lists no ratings");
        }
        Set<Long> found = new HashSet<>();
        RatingTable t = data.ratings();
        int unlisted = 0;
        for (int r = 0; r < t.size(); r++) {
            long key = key(t.user(r), t.item(r));
            if (partitions.containsKey(key)) {
                found.add(key);
            } else {
                unlisted++;
            }
        }
        if (found.size() < partitions.size()) {
            int firstLine = Integer.MAX_VALUE;
            long firstKey = 0;
            for (Map.Entry<Long, Integer> e : lines.entrySet()) {
                if (!found.contains(e.getKey()) && e.getValue() < firstLine) {
                    firstLine = e.getValue();
                    firstKey = e.getKey();
                }
            }
            throw new DataFormatException(file, firstLine, "rating of item " + (int) firstKey + " by user "
                    + (int) (firstKey >>> 32) + " is not in " + data.source() + " ("
                    + (partitions.size() - found.size()) + " listed ratings are not); is this the split of this dataset?");
        }
        Set<Integer> newUsers = new HashSet<>();
        userKind.forEach((u, k) -> {
            if (k == 1) {
                newUsers.add(u);
            }
        });
        Set<Integer> newItems = new HashSet<>();
        itemKind.forEach((i, k) -> {
            if (k == 1) {
                newItems.add(i);
            }
        });
        return new SplitFile(file, partitions, newUsers, newItems, unlisted);
    }

    private static void consistent(Path file, int line, String what, int id, boolean isNew, Map<Integer, Integer> kind,
                                   Map<Integer, Integer> firstLine) {
        Integer k = kind.putIfAbsent(id, isNew ? 1 : 0);
        if (k == null) {
            firstLine.put(id, line);
        } else if (k != (isNew ? 1 : 0)) {
            throw new DataFormatException(file, line, what + " " + id + " is " + (isNew ? "new" : "existing")
                    + " here but " + (isNew ? "existing" : "new") + " at line " + firstLine.get(id)
                    + ": a " + what + " must be new or existing in every partition it appears in");
        }
    }

    private static int parseInt(Path file, int line, String s, String field) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, field + " must be an integer, found '" + s + "'", e);
        }
    }

    private static long key(int user, int item) {
        return ((long) user << 32) | (item & 0xFFFFFFFFL);
    }

    /** The partition of the rating of {@code item} by {@code user}, or null when the file does not list it. */
    public Partition partition(int user, int item) {
        return partitions.get(key(user, item));
    }

    public Path file() {
        return file;
    }

    /** Ratings listed. */
    public int size() {
        return partitions.size();
    }

    /** Ratings of the dataset the file does not list (they take no part in the split). */
    public int unlisted() {
        return unlisted;
    }

    public Set<Integer> newUsers() {
        return newUsers;
    }

    public Set<Integer> newItems() {
        return newItems;
    }
}
