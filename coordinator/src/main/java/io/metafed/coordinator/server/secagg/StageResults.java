package io.metafed.coordinator.server.secagg;

import io.metafed.coordinator.round.SecureAggregate;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import java.util.Map;

/**
 * What each closed stage of a {@link SecureRoundSession} produced; null until the stage closed, and stays null
 * when the round failed there. Guarded by the session's lock.
 */
public final class StageResults {
    private KeyRoster roster;
    private Map<Integer, ShareInbox> inboxes;
    private UnmaskRequest unmask;
    private SecureAggregate aggregate;

    public KeyRoster roster() {
        return roster;
    }

    public Map<Integer, ShareInbox> inboxes() {
        return inboxes;
    }

    public UnmaskRequest unmask() {
        return unmask;
    }

    public SecureAggregate aggregate() {
        return aggregate;
    }

    void roster(KeyRoster value) {
        roster = value;
    }

    void inboxes(Map<Integer, ShareInbox> value) {
        inboxes = value == null ? null : Map.copyOf(value);
    }

    void unmask(UnmaskRequest value) {
        unmask = value;
    }

    void aggregate(SecureAggregate value) {
        aggregate = value;
    }
}
