package io.metafed.evaluation.data;

import io.metafed.model.data.ItemProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collects movies as the 1M/10M/CSV layouts describe them (id, "Title (Year)", "Genre|Genre") and builds profiles
 * once every genre is known: the genre vocabulary is the sorted set of names used, "(no genres listed)" none.
 */
final class Movies {
    static final String NO_GENRES = "(no genres listed)";
    private final List<Integer> ids = new ArrayList<>();
    private final List<String> titles = new ArrayList<>();
    private final List<String[]> genreNames = new ArrayList<>();
    private final IntIndex index = new IntIndex(1 << 12);
    private final List<Integer> lines = new ArrayList<>();
    private final TreeSet<String> vocabulary = new TreeSet<>();

    void add(Path file, int line, int id, String title, String genres) {
        int known = index.get(id);
        if (known >= 0) {
            throw new DataFormatException(file, line, "duplicate movie id " + id + " (also at line " + lines.get(known)
                    + ")");
        }
        index.add(id);
        lines.add(line);
        String[] names = genres.isEmpty() || genres.equals(NO_GENRES) ? new String[0] : TextFiles.split(genres, "|");
        for (String g : names) {
            if (g.trim().isEmpty()) {
                throw new DataFormatException(file, line, "empty genre name in '" + genres + "'");
            }
            vocabulary.add(g);
        }
        ids.add(id);
        titles.add(title);
        genreNames.add(names);
    }

    /** Called once a rating: a primitive lookup, no boxing. */
    boolean contains(int id) {
        return index.get(id) >= 0;
    }

    int size() {
        return ids.size();
    }

    List<String> genres() {
        return List.copyOf(vocabulary);
    }

    Map<Integer, ItemProfile> profiles() {
        List<String> genres = genres();
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < genres.size(); g++) {
            index.put(genres.get(g), g);
        }
        Map<Integer, ItemProfile> items = new HashMap<>();
        for (int m = 0; m < ids.size(); m++) {
            boolean[] flags = new boolean[genres.size()];
            for (String g : genreNames.get(m)) {
                flags[index.get(g)] = true;
            }
            String title = titles.get(m);
            items.put(ids.get(m), new ItemProfile(ids.get(m), title, TextFiles.yearInTitle(title), flags));
        }
        return items;
    }
}
