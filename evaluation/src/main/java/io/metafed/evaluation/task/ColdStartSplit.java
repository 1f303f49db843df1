package io.metafed.evaluation.task;

import io.metafed.model.Randoms;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The tasks of a dataset under the cold-start protocol of {@link SplitConfig}:
 * <ol>
 *   <li>items with release year ≥ {@code newItemYear} are new, the rest existing (with {@link SplitMode#TIME}
 *       and no years: the items first rated last);</li>
 *   <li>a seeded random {@code newUserFraction} of users are new (with {@link SplitMode#TIME}: those whose
 *       first rating is latest), the rest existing;</li>
 *   <li>each user's ratings fall into one of the four {@link Partition}s by user kind × item kind;</li>
 *   <li>a user with {@code minRatings..maxRatings} ratings in a partition becomes a task there, with
 *       {@code querySize} random ratings as query and the rest as support.</li>
 * </ol>
 * Or, from a published split ({@link SplitFile}), every rating's partition as the file says, with the same task
 * rule and seeded query draws. Deterministic for a given dataset and seed.
 */
public record ColdStartSplit(SplitConfig config, Map<Partition, List<UserTask>> tasks, Set<Integer> newUsers,
                             Set<Integer> newItems) {
    public ColdStartSplit {
        tasks = Collections.unmodifiableMap(new EnumMap<>(tasks));
        newUsers = Set.copyOf(newUsers);
        newItems = Set.copyOf(newItems);
    }

    public static ColdStartSplit of(Dataset data, SplitConfig config) {
        SplittableRandom random = new SplittableRandom(config.seed());
        Set<Integer> newItems = new HashSet<>();
        boolean years = data.items().values().stream().anyMatch(i -> i.releaseYear() != ItemProfile.UNKNOWN_YEAR);
        if (config.mode() == SplitMode.TIME) {
            requireTimestamps(data);
        }
        if (config.mode() == SplitMode.RANDOM || years) {
            for (ItemProfile item : data.items().values()) {
                if (item.releaseYear() != ItemProfile.UNKNOWN_YEAR && item.releaseYear() >= config.newItemYear()) {
                    newItems.add(item.id());
                }
            }
        } else {
            newItems.addAll(latest(firstRatingTimes(data, false), config.newUserFraction()));
        }
        Set<Integer> newUsers;
        SplittableRandom userRandom = random.split();
        if (config.mode() == SplitMode.TIME) {
            newUsers = new HashSet<>(latest(firstRatingTimes(data, true), config.newUserFraction()));
        } else {
            List<Integer> userIds = new ArrayList<>(new TreeMap<>(data.users()).keySet());
            Randoms.shuffle(userIds, userRandom);
            newUsers = new HashSet<>(userIds.subList(0, (int) Math.round(userIds.size() * config.newUserFraction())));
        }
        Map<Partition, Map<Integer, List<Interaction>>> byUser = emptyPartitions();
        for (Interaction in : data.interactions()) {
            Partition p = partitionOf(newUsers.contains(in.user()), newItems.contains(in.item()));
            byUser.get(p).computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        return new ColdStartSplit(config, tasks(byUser, config, random.split()), newUsers, newItems);
    }

    /** The split {@code file} prescribes, with tasks and query draws by {@code config}. */
    public static ColdStartSplit of(Dataset data, SplitFile file, SplitConfig config) {
        SplittableRandom random = new SplittableRandom(config.seed());
        random.split(); // the user draw of a random split: query draws use the same stream as there
        Map<Partition, Map<Integer, List<Interaction>>> byUser = emptyPartitions();
        for (Interaction in : data.interactions()) {
            Partition p = file.partition(in.user(), in.item());
            if (p != null) {
                byUser.get(p).computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
            }
        }
        return new ColdStartSplit(config, tasks(byUser, config, random.split()), file.newUsers(), file.newItems());
    }

    private static Map<Partition, Map<Integer, List<Interaction>>> emptyPartitions() {
        Map<Partition, Map<Integer, List<Interaction>>> byUser = new EnumMap<>(Partition.class);
        for (Partition p : Partition.values()) {
            byUser.put(p, new TreeMap<>());
        }
        return byUser;
    }

    private static Map<Partition, List<UserTask>> tasks(Map<Partition, Map<Integer, List<Interaction>>> byUser,
                                                        SplitConfig config, SplittableRandom queryRandom) {
        Map<Partition, List<UserTask>> tasks = new EnumMap<>(Partition.class);
        for (Partition p : Partition.values()) {
            List<UserTask> list = new ArrayList<>();
            for (Map.Entry<Integer, List<Interaction>> e : byUser.get(p).entrySet()) {
                List<Interaction> ratings = e.getValue();
                if (ratings.size() < config.minRatings() || ratings.size() > config.maxRatings()) {
                    continue;
                }
                Randoms.shuffle(ratings, queryRandom);
                list.add(new UserTask(e.getKey(), p, ratings.subList(config.querySize(), ratings.size()),
                        ratings.subList(0, config.querySize())));
            }
            tasks.put(p, List.copyOf(list));
        }
        return tasks;
    }

    private static void requireTimestamps(Dataset data) {
        RatingTable t = data.ratings();
        for (int r = 0; r < t.size(); r++) {
            if (t.timestamp(r) != 0) {
                return;
            }
        }
        throw new IllegalArgumentException("a time split needs timestamps, and " + data.source()
                + " has none (every timestamp is 0)");
    }

    /** Earliest rating time per user (or per item). */
    private static Map<Integer, Long> firstRatingTimes(Dataset data, boolean users) {
        Map<Integer, Long> first = new HashMap<>();
        RatingTable t = data.ratings();
        for (int r = 0; r < t.size(); r++) {
            first.merge(users ? t.user(r) : t.item(r), t.timestamp(r), Math::min);
        }
        return first;
    }

    /** The {@code fraction} of keys with the latest times (ties by larger id). */
    private static List<Integer> latest(Map<Integer, Long> times, double fraction) {
        List<Integer> ids = new ArrayList<>(times.keySet());
        ids.sort((a, b) -> {
            int c = Long.compare(times.get(b), times.get(a));
            return c != 0 ? c : Integer.compare(b, a);
        });
        return ids.subList(0, (int) Math.round(ids.size() * fraction));
    }

    static Partition partitionOf(boolean newUser, boolean newItem) {
        if (newUser) {
            return newItem ? Partition.USER_ITEM_COLD : Partition.USER_COLD;
        }
        return newItem ? Partition.ITEM_COLD : Partition.TRAIN;
    }

    public List<UserTask> tasks(Partition partition) {
        return tasks.get(partition);
    }

    /**
     * Everything a model may be fitted on before evaluation: all TRAIN tasks' ratings plus the support sets of
     * the evaluation tasks. Query sets are never included.
     */
    public List<Interaction> trainingSide() {
        List<Interaction> all = new ArrayList<>();
        for (Partition p : Partition.values()) {
            for (UserTask t : tasks.get(p)) {
                all.addAll(t.support());
                if (p == Partition.TRAIN) {
                    all.addAll(t.query());
                }
            }
        }
        return all;
    }
}
