package io.metafed.sdk.transport;

import io.metafed.model.protocol.TaskResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one ask for a task answered: the task, or none, with the coordinator's {@code Retry-After} (when it sent
 * one) saying how long until asking again is worth it.
 */
public record TaskPoll(Optional<TaskResponse> task, Optional<Duration> retryAfter) {
    public TaskPoll {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isPresent() && retryAfter.get().isNegative()) {
            throw new IllegalArgumentException("retryAfter must be >= 0, found " + retryAfter.get());
        }
    }

    public static TaskPoll of(TaskResponse task) {
        return new TaskPoll(Optional.of(task), Optional.empty());
    }

    public static TaskPoll none(Optional<Duration> retryAfter) {
        return new TaskPoll(Optional.empty(), retryAfter);
    }
}
