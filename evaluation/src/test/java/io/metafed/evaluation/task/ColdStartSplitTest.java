package io.metafed.evaluation.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColdStartSplitTest {
    private final Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.defaults(3));

    @Test
    void of_meluProtocol_tasksRespectPartitionsAndSizes() {
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(5));
        assertEquals(200, split.newUsers().size());
        for (Partition p : Partition.values()) {
            assertFalse(split.tasks(p).isEmpty(), "partition " + p + " must have tasks");
            for (UserTask t : split.tasks(p)) {
                assertEquals(10, t.query().size());
                assertTrue(t.size() >= 13 && t.size() <= 100, "task size " + t.size());
                boolean newUser = split.newUsers().contains(t.user());
                for (Interaction in : t.support()) {
                    assertEquals(p, ColdStartSplit.partitionOf(newUser, split.newItems().contains(in.item())));
                }
                for (Interaction in : t.query()) {
                    assertEquals(p, ColdStartSplit.partitionOf(newUser, split.newItems().contains(in.item())));
                }
            }
        }
    }

    @Test
    void of_sameSeed_sameTasks() {
        assertEquals(ColdStartSplit.of(data, SplitConfig.melu(9)).tasks(),
                ColdStartSplit.of(data, SplitConfig.melu(9)).tasks());
    }

    @Test
    void trainingSide_neverContainsEvaluationQueries() {
        ColdStartSplit split = ColdStartSplit.of(data, SplitConfig.melu(5));
        Set<Interaction> training = new HashSet<>(split.trainingSide());
        for (Partition p : Partition.evaluation()) {
            for (UserTask t : split.tasks(p)) {
                for (Interaction q : t.query()) {
                    assertFalse(training.contains(q), "query rating leaked into training side: " + q);
                }
                assertTrue(training.containsAll(t.support()));
            }
        }
    }
}
