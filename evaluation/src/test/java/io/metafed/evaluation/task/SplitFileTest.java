package io.metafed.evaluation.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.data.DataFormatException;
import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.RatingTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published splits: read, checked against the data, tasks exactly as listed, query draws seeded. */
class SplitFileTest {
    private final Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(4));
    @TempDir
    Path tmp;

    /** A split file listing every rating: users < 40 new, items < 60 new, header and tab separation. */
    private Path writeSplit() throws IOException {
        StringBuilder sb = new StringBuilder("user\titem\tpartition\n");
        RatingTable t = data.ratings();
        for (int r = 0; r < t.size(); r++) {
            boolean newUser = t.user(r) < 40;
            boolean newItem = t.item(r) < 60;
            sb.append(t.user(r)).append('\t').append(t.item(r)).append('\t')
                    .append(ColdStartSplit.partitionOf(newUser, newItem).name().toLowerCase()).append('\n');
        }
        Path file = tmp.resolve("split.tsv");
        Files.writeString(file, sb);
        return file;
    }

    @Test
    void split_followsTheFileAndDrawsQueriesBySeed() throws IOException {
        SplitFile file = SplitFile.read(writeSplit(), data);
        assertEquals(data.interactions().size(), file.size());
        assertEquals(0, file.unlisted());
        ColdStartSplit split = ColdStartSplit.of(data, file, SplitConfig.melu(7));
        for (Partition p : Partition.values()) {
            for (UserTask t : split.tasks(p)) {
                assertEquals(p == Partition.USER_COLD || p == Partition.USER_ITEM_COLD, t.user() < 40);
                for (Interaction in : t.query()) {
                    assertEquals(p, ColdStartSplit.partitionOf(t.user() < 40, in.item() < 60));
                }
            }
        }
        assertTrue(split.newUsers().stream().allMatch(u -> u < 40));
        assertTrue(split.tasks(Partition.TRAIN).size() > 20);
        assertEquals(split.tasks(), ColdStartSplit.of(data, file, SplitConfig.melu(7)).tasks());
        Set<Interaction> q7 = new HashSet<>();
        split.tasks(Partition.TRAIN).forEach(t -> q7.addAll(t.query()));
        Set<Interaction> q8 = new HashSet<>();
        ColdStartSplit.of(data, file, SplitConfig.melu(8)).tasks(Partition.TRAIN).forEach(t -> q8.addAll(t.query()));
        assertTrue(!q7.equals(q8), "another seed draws other query sets");
    }

    @Test
    void unlistedRatings_takeNoPart() throws IOException {
        Path file = tmp.resolve("partial.csv");
        Interaction first = data.interactions().get(0);
        Files.writeString(file, first.user() + "," + first.item() + ",TRAIN\n");
        SplitFile split = SplitFile.read(file, data);
        assertEquals(1, split.size());
        assertEquals(data.interactions().size() - 1, split.unlisted());
        assertEquals(Partition.TRAIN, split.partition(first.user(), first.item()));
    }

    private void refused(String content, String expected) throws IOException {
        Path file = tmp.resolve("bad.csv");
        Files.writeString(file, content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> SplitFile.read(file, data));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void refusals_nameFileLineAndProblem() throws IOException {
        Interaction a = data.interactions().get(0);
        Interaction b = data.interactions().get(1); // same user as a
        refused("user,item,partition\n" + a.user() + "," + a.item() + ",WARM\n",
                "bad.csv:2: partition must be TRAIN, USER_COLD, ITEM_COLD or USER_ITEM_COLD, found 'WARM'");
        refused(a.user() + "," + a.item() + ",TRAIN\n" + b.user() + "," + b.item() + ",USER_COLD\n",
                "bad.csv:2: user " + a.user() + " is new here but existing at line 1");
        refused(a.user() + "," + a.item() + ",TRAIN\n" + a.user() + "," + a.item() + ",TRAIN\n",
                "bad.csv:2: rating of item " + a.item() + " by user " + a.user() + " is listed twice (also at line 1)");
        refused(a.user() + "," + a.item() + ",TRAIN\n99999,1,TRAIN\n",
                "bad.csv:2: rating of item 1 by user 99999 is not in ");
        refused("a,b\n", "bad.csv:1: expected 3 fields user,item,partition, found 2");
        refused("who,what,where\n", "bad.csv:1: header must name user,item,partition");
        refused("x1,2,TRAIN\n", "bad.csv:1: header must name user,item,partition");
        refused("1,zz,TRAIN\n", "bad.csv:1: item id must be an integer, found 'zz'");
    }

    @Test
    void timeSplit_newUsersAreTheLastToJoin() {
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(1).withMode(SplitMode.TIME));
        assertEquals(Math.round(data.users().size() * 0.2), split.newUsers().size());
        long latestExisting = Long.MIN_VALUE;
        long earliestNew = Long.MAX_VALUE;
        java.util.Map<Integer, Long> first = new java.util.HashMap<>();
        for (Interaction in : data.interactions()) {
            first.merge(in.user(), in.timestamp(), Math::min);
        }
        for (var e : first.entrySet()) {
            if (split.newUsers().contains(e.getKey())) {
                earliestNew = Math.min(earliestNew, e.getValue());
            } else {
                latestExisting = Math.max(latestExisting, e.getValue());
            }
        }
        assertTrue(earliestNew >= latestExisting, "new users joined after every existing one");
    }

    @Test
    void timeSplit_withoutYears_newItemsAreTheLastFirstRated() {
        List<Interaction> ratings = List.of(new Interaction(1, 1, 3, 100), new Interaction(1, 2, 3, 200),
                new Interaction(2, 3, 3, 300), new Interaction(2, 4, 3, 400), new Interaction(3, 5, 3, 500));
        java.util.Map<Integer, io.metafed.model.data.UserProfile> users = new java.util.HashMap<>();
        java.util.Map<Integer, io.metafed.model.data.ItemProfile> items = new java.util.HashMap<>();
        for (Interaction in : ratings) {
            users.put(in.user(), io.metafed.model.data.UserProfile.unknown(in.user()));
            items.put(in.item(), new io.metafed.model.data.ItemProfile(in.item(), "i", 0, new boolean[0]));
        }
        Dataset d = new Dataset("t", ratings, users, items, List.of(), List.of());
        ColdStartSplit split = ColdStartSplit.of(d, SplitConfig.melu(1).withMode(SplitMode.TIME));
        assertEquals(Set.of(5), split.newItems());
        assertEquals(Set.of(3), split.newUsers()); // 20% of 3 users, rounded: the last to join
    }

    @Test
    void timeSplit_withoutTimestamps_isRefused() {
        List<Interaction> ratings = List.of(new Interaction(1, 1, 3, 0));
        Dataset d = new Dataset("no-times", ratings, java.util.Map.of(1, io.metafed.model.data.UserProfile.unknown(1)),
                java.util.Map.of(1, new io.metafed.model.data.ItemProfile(1, "i", 0, new boolean[0])), List.of(),
                List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ColdStartSplit.of(d, SplitConfig.melu(1).withMode(SplitMode.TIME)));
        assertEquals("a time split needs timestamps, and no-times has none (every timestamp is 0)", e.getMessage());
    }
}
