package io.metafed.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.evaluation.task.Partition;
import io.metafed.evaluation.task.SplitConfig;
import io.metafed.evaluation.task.UserTask;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationTest {
    @Test
    void validationSplit_hasPseudoNewUsersAndItems_fromTrainRatingsOnly() {
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(5));
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(3));
        Validation v = Validation.of(data, split);
        Set<Interaction> train = new HashSet<>();
        for (UserTask t : split.tasks(Partition.TRAIN)) {
            train.addAll(t.support());
            train.addAll(t.query());
        }
        assertEquals(train, new HashSet<>(v.data().interactions()), "exactly the TRAIN ratings");
        for (int user : v.data().users().keySet()) {
            assertFalse(split.newUsers().contains(user), "user " + user + " is an evaluation user");
        }
        // The same seed again: the pseudo-new users must be drawn among TRAIN users, not the evaluation's new ones.
        ColdStartSplit inner = ColdStartSplit.of(v.data(), new SplitConfig(3, v.newItemYear(), 0.2, 13, 100, 10));
        assertTrue(inner.tasks(Partition.USER_COLD).size() > 10,
                "pseudo-new users: " + inner.tasks(Partition.USER_COLD).size());
        assertTrue(inner.tasks(Partition.ITEM_COLD).size() > 0, "pseudo-new items");
    }
}
