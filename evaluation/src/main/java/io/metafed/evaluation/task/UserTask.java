package io.metafed.evaluation.task;

import io.metafed.model.data.Interaction;
import java.util.List;
import java.util.Objects;

/**
 * One meta-learning task: one user's ratings in one partition, split into a support set (what the device adapts
 * on) and a query set (what adaptation is judged on).
 */
public record UserTask(int user, Partition partition, List<Interaction> support, List<Interaction> query) {
    public UserTask {
        Objects.requireNonNull(partition, "partition");
        support = List.copyOf(support);
        query = List.copyOf(query);
        if (support.isEmpty()) {
            throw new IllegalArgumentException("support of user " + user + " must not be empty");
        }
        for (Interaction in : support) {
            requireUser(user, in);
        }
        for (Interaction in : query) {
            requireUser(user, in);
        }
    }

    private static void requireUser(int user, Interaction in) {
        if (in.user() != user) {
            throw new IllegalArgumentException("task of user " + user + " must hold only that user's ratings, found "
                    + in);
        }
    }

    public int size() {
        return support.size() + query.size();
    }
}
