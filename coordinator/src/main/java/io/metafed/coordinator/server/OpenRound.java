package io.metafed.coordinator.server;

import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.server.secagg.SecureRoundSession;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The round the server is collecting for: its task, its wall-clock deadline and who already contributed (so
 * a client that submitted is not handed the same task again), and for a securely aggregated round its
 * {@link SecureRoundSession}.
 */
public final class OpenRound {
    private final RoundTask task;
    private final long deadlineEpochMillis;
    private final Set<String> selected;
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final SecureRoundSession session; // null: plain round

    OpenRound(RoundTask task, long deadlineEpochMillis) {
        this(task, deadlineEpochMillis, null);
    }

    OpenRound(RoundTask task, long deadlineEpochMillis, SecureRoundSession session) {
        this.task = Objects.requireNonNull(task, "task");
        this.deadlineEpochMillis = deadlineEpochMillis;
        this.selected = Set.copyOf(task.selectedClients());
        this.session = session;
    }

    /** The secure-aggregation session, when this round is securely aggregated. */
    public Optional<SecureRoundSession> secure() {
        return Optional.ofNullable(session);
    }

    public RoundTask task() {
        return task;
    }

    public int roundId() {
        return task.roundId();
    }

    public long deadlineEpochMillis() {
        return deadlineEpochMillis;
    }

    public boolean isSelected(String clientId) {
        return selected.contains(clientId);
    }

    public boolean hasSubmitted(String clientId) {
        return submitted.contains(clientId);
    }

    void markSubmitted(String clientId) {
        submitted.add(clientId);
    }

    /** Whether a client may still work on this round at {@code nowMillis}. */
    public boolean offersTaskTo(String clientId, long nowMillis) {
        if (session != null) {
            return session.offersTaskTo(clientId, nowMillis);
        }
        return nowMillis < deadlineEpochMillis && isSelected(clientId) && !hasSubmitted(clientId);
    }
}
