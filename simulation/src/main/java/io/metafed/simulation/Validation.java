package io.metafed.simulation;

import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A validation set for choosing hyperparameters without touching any evaluation query: the TRAIN ratings of a
 * cold-start split as a dataset of their own, split again into pseudo-new users (a random fifth of the TRAIN
 * users) and pseudo-new items (the newest tenth of the items TRAIN users rated, by release year).
 *
 * @param newItemYear items released in this year or later are the pseudo-new items
 */
public record Validation(Dataset data, int newItemYear) {
    /** Share of the TRAIN side's dated items that become pseudo-new. */
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
        Set<Integer> rated = new HashSet<>();
        train.forEach(in -> rated.add(in.item()));
        List<Integer> years = new ArrayList<>();
        for (int item : rated) {
            int year = data.item(item).releaseYear();
            if (year != ItemProfile.UNKNOWN_YEAR) {
                years.add(year);
            }
        }
        if (years.isEmpty()) {
            throw new IllegalArgumentException("no TRAIN item has a release year: pseudo-new items cannot be chosen");
        }
        years.sort(null);
        int year = years.get((int) Math.min(years.size() - 1, Math.floor(years.size() * (1 - NEW_ITEM_SHARE))));
        Dataset validation = new Dataset("validation(" + data.source() + ", split seed " + split.config().seed() + ")",
                train, data.users(), data.items(), data.genres(), data.occupations(), data.scale(),
                data.userAttributes(), data.itemAttributes());
        return new Validation(validation, year);
    }
}
