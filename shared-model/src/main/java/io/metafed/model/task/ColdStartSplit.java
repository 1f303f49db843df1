package io.metafed.model.task;

import io.metafed.model.Randoms;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The tasks of a dataset under the cold-start protocol of {@link SplitConfig}:
 * <ol>
 *   <li>items with release year ≥ {@code newItemYear} are new, the rest existing;</li>
 *   <li>a seeded random {@code newUserFraction} of users are new, the rest existing;</li>
 *   <li>each user's ratings fall into one of the four {@link Partition}s by user kind × item kind;</li>
 *   <li>a user with {@code minRatings..maxRatings} ratings in a partition becomes a task there, with
 *       {@code querySize} random ratings as query and the rest as support.</li>
 * </ol>
 * Deterministic for a given dataset and seed.
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
        for (ItemProfile item : data.items().values()) {
            if (item.releaseYear() != ItemProfile.UNKNOWN_YEAR && item.releaseYear() >= config.newItemYear()) {
                newItems.add(item.id());
            }
        }
        List<Integer> userIds = new ArrayList<>(new TreeMap<>(data.users()).keySet());
        Randoms.shuffle(userIds, random.split());
        Set<Integer> newUsers = new HashSet<>(userIds.subList(0, (int) Math.round(userIds.size()
                * config.newUserFraction())));

        Map<Partition, Map<Integer, List<Interaction>>> byUser = new EnumMap<>(Partition.class);
        for (Partition p : Partition.values()) {
            byUser.put(p, new TreeMap<>());
        }
        for (Interaction in : data.interactions()) {
            Partition p = partitionOf(newUsers.contains(in.user()), newItems.contains(in.item()));
            byUser.get(p).computeIfAbsent(in.user(), u -> new ArrayList<>()).add(in);
        }
        Map<Partition, List<UserTask>> tasks = new EnumMap<>(Partition.class);
        SplittableRandom queryRandom = random.split();
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
        return new ColdStartSplit(config, tasks, newUsers, newItems);
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
