package io.metafed.simulation;

import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.UserProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validation set for choosing hyperparameters without touching any evaluation query: the TRAIN ratings of a
 * cold-start split as a dataset of their own, split again into pseudo-new users (a random fifth of the TRAIN
 * users) and pseudo-new items: the newest items TRAIN users rated, by release year, taking the same share of the
 * TRAIN ratings as the split's new items take of all ratings (a tenth when the split has no new items), so the
 * validation has about as many new-item tasks per user as the evaluation.
 *
 * @param newItemYear items released in this year or later are the pseudo-new items
 */
public record Validation(Dataset data, int newItemYear) {
    /** Share of the TRAIN side's dated ratings that become pseudo-new when the split has no new items. */
    static final double NEW_ITEM_SHARE = 0.1;

    public static Validation of(Dataset data, ColdStartSplit split) {
        List<Interaction> train = new ArrayList<>();
        for (UserTask t : split.tasks(Partition.TRAIN)) {
            train.addAll(t.support());
            train.addAll(t.query());
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the split has no TRAIN ratings to carve a validation set from");
        }
        List<Integer> years = new ArrayList<>();
        for (Interaction in : train) {
            int year = data.item(in.item()).releaseYear();
            if (year != ItemProfile.UNKNOWN_YEAR) {
                years.add(year);
            }
        }
        if (years.isEmpty()) {
            throw new IllegalArgumentException("no TRAIN item has a release year: pseudo-new items cannot be chosen");
        }
        years.sort(null);
        long onNewItems = data.interactions().stream().filter(in -> split.newItems().contains(in.item())).count();
        double share = onNewItems == 0 ? NEW_ITEM_SHARE : (double) onNewItems / data.interactions().size();
        int year = years.get((int) Math.min(years.size() - 1, Math.floor(years.size() * (1 - share))));
        // Only TRAIN users: with every user, a split of the same seed would draw the evaluation split's new users
        // again, who have no ratings here, and leave no pseudo-new user.
        Map<Integer, UserProfile> users = new TreeMap<>();
        train.forEach(in -> users.computeIfAbsent(in.user(), data::user));
        Dataset validation = new Dataset("validation(" + data.source() + ", split seed " + split.config().seed() + ")",
                train, users, data.items(), data.genres(), data.occupations(), data.scale(),
                data.userAttributes(), data.itemAttributes());
        return new Validation(validation, year);
    }
}
