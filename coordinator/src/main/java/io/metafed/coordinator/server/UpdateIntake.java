package io.metafed.coordinator.server;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.Refusal;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.model.protocol.ErrorCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The server-side rules for a decoded update on top of the coordinator's: the sender must be enrolled, the
 * round's deadline is enforced even before the scheduler closes it, and a wrong model version for the open
 * round is {@code stale_model} rather than {@code stale_round}.
 */
final class UpdateIntake {
    private final Coordinator coordinator;
    private final RoundScheduler scheduler;
    private final ClientRegistry registry;
    private final Clock clock;

    UpdateIntake(Coordinator coordinator, RoundScheduler scheduler, ClientRegistry registry, Clock clock) {
        this.coordinator = coordinator;
        this.scheduler = scheduler;
        this.registry = registry;
        this.clock = clock;
    }

    /** Counts {@code update} and returns its round id, or throws the documented {@link ApiException}. */
    int accept(ClientUpdate update) {
        String client = update.clientId();
        if (!registry.contains(client)) {
            throw new ApiException(403, ErrorCodes.UNKNOWN_CLIENT, "client " + client + " is not enrolled");
        }
        Optional<OpenRound> open = scheduler.current();
        if (open.isPresent() && open.get().roundId() == update.roundId()) {
            OpenRound round = open.get();
            if (round.secure().isPresent()) {
                throw new ApiException(409, ErrorCodes.SECAGG_REQUIRED, "round " + round.roundId() + " is securely"
                        + " aggregated: send the update through the /v1/secagg/* stages"
                        + " (docs/PROTOCOL.md), not " + io.metafed.model.protocol.Protocol.UPDATE);
            }
            long now = clock.millis();
            if (now >= round.deadlineEpochMillis()) {
                throw new ApiException(409, ErrorCodes.STALE_ROUND, "round " + round.roundId() + " passed its deadline "
                        + Instant.ofEpochMilli(round.deadlineEpochMillis()) + "; update from client " + client
                        + " arrived at " + Instant.ofEpochMilli(now));
            }
            if (update.modelVersion() != round.task().modelVersion()) {
                throw new ApiException(409, ErrorCodes.STALE_MODEL, "update from client " + client
                        + " was computed on model version " + update.modelVersion() + ", round " + round.roundId()
                        + " trains version " + round.task().modelVersion());
            }
        }
        try {
            coordinator.submit(update);
        } catch (CoordinatorException e) {
            throw refusal(e);
        }
        open.ifPresent(r -> r.markSubmitted(client));
        int accepted = coordinator.roundStatus().map(RoundStatus::accepted).orElse(0);
        if (accepted >= coordinator.config().rounds().clientsPerRound()) {
            scheduler.wake();
        }
        return update.roundId();
    }

    static ApiException refusal(CoordinatorException e) {
        Refusal r = Refusal.of(e);
        return new ApiException(r.status(), r.code(), r.message());
    }
}
