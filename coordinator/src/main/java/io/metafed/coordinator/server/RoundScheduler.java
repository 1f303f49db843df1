package io.metafed.coordinator.server;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundResult;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.RoundStatus;
import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.coordinator.server.secagg.SecureRoundSession;
import io.metafed.coordinator.server.secagg.StageLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives rounds on one thread: opens a round once {@code minClients} are enrolled, closes it at its deadline or
 * as soon as {@code clientsPerRound} updates are in, pauses, opens the next. Failed rounds are logged and the
 * next one opens. {@link #tick()} is one step of that loop, so tests can drive it with a controlled clock
 * instead of starting the thread. Before a round's tasks exist, the id after it is persisted to
 * {@link StateFile}, so ids handed to clients are never reused after a crash. A securely aggregated round is
 * driven by its {@link SecureRoundSession}: each tick closes the stages that are complete or due, and once the
 * session ends its decoded sum (if any) is submitted and the round closed.
 */
public final class RoundScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoundScheduler.class);
    /** How long to sleep when nothing can happen; enrollments and updates wake the thread earlier. */
    static final long IDLE_MILLIS = 1_000;

    private final Coordinator coordinator;
    private final ClientRegistry registry;
    private final StateFile state;
    private final FederationConfig config;
    private final Clock clock;
    private final ServerMetrics metrics;
    private final Object signal = new Object();
    private boolean signalled;               // guarded by signal
    private volatile boolean running;
    private volatile OpenRound current;
    private long nextOpenAt;                 // scheduler thread (or the test driving tick) only
    private Thread thread;

    RoundScheduler(Coordinator coordinator, ClientRegistry registry, StateFile state, FederationConfig config,
            Clock clock, ServerMetrics metrics) {
        this.coordinator = coordinator;
        this.registry = registry;
        this.state = state;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The round collecting updates, if any. */
    public Optional<OpenRound> current() {
        return Optional.ofNullable(current);
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("scheduler already started");
        }
        running = true;
        thread = new Thread(this::loop, "metafed-rounds");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the loop to look again now (a client enrolled, or an update was counted). */
    public void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    /** One step: close a finished round or open a due one. Returns how long to wait before the next step. */
    public long tick() {
        long now = clock.millis();
        OpenRound round = current;
        if (round != null && round.secure().isPresent()) {
            return tickSecure(round, round.secure().get(), now);
        }
        if (round != null) {
            int accepted = coordinator.roundStatus().map(RoundStatus::accepted).orElse(0);
            if (accepted < config.clientsPerRound() && now < round.deadlineEpochMillis()) {
                return round.deadlineEpochMillis() - now;
            }
            close(round, accepted >= config.clientsPerRound() ? "full" : "deadline");
            nextOpenAt = now + config.roundPause().toMillis();
            return Math.max(1, config.roundPause().toMillis());
        }
        if (now < nextOpenAt) {
            return nextOpenAt - now;
        }
        if (registry.size() < config.minClients()) {
            return IDLE_MILLIS;
        }
        return open(now) ? config.roundDuration().toMillis() : IDLE_MILLIS;
    }

    private long tickSecure(OpenRound round, SecureRoundSession session, long now) {
        long wait = session.tick(now);
        if (!session.terminal()) {
            return wait;
        }
        session.aggregate().ifPresent(a -> {
            try {
                coordinator.submitSecureAggregate(a);
            } catch (IllegalStateException e) { // CoordinatorException is one: a refusal
                LOG.warn("Round {}: the coordinator refused the secure aggregate: {}", round.roundId(), e.getMessage());
            }
        });
        close(round, session.failure().map(f -> "secure aggregation failed: " + f)
                .orElse("secure aggregation done"));
        nextOpenAt = now + config.roundPause().toMillis();
        return Math.max(1, config.roundPause().toMillis());
    }

    private boolean open(long now) {
        try {
            state.writeNextRoundId(coordinator.nextRoundId() + 1);
        } catch (IOException e) {
            LOG.error("Not opening round {}: could not persist the next round id to {}: {}",
                    coordinator.nextRoundId(), state.path(), e.toString());
            return false;
        }
        try {
            RoundTask task = coordinator.openRound();
            long deadline = now + config.roundDuration().toMillis();
            current = new OpenRound(task, deadline, !config.secure() ? null
                    : new SecureRoundSession(task, config.clientsPerRound(), coordinator.layout().size() + 1,
                            config.secureRoundSettings(), now, deadline, new StageLog(task.roundId(), metrics),
                            registry::publicKey));
            LOG.info("Round {} open until {} for {} selected clients", task.roundId(),
                    Instant.ofEpochMilli(current.deadlineEpochMillis()), task.selectedClients().size());
            return true;
        } catch (CoordinatorException e) {
            LOG.warn("Could not open a round: {}", e.getMessage());
            return false;
        }
    }

    private void close(OpenRound round, String why) {
        long start = System.nanoTime();
        RoundResult result = coordinator.closeRound();
        double seconds = (System.nanoTime() - start) / 1e9;
        current = null;
        if (result instanceof RoundResult.Aggregated a) {
            metrics.roundFinalized(true, a.model().provenance().participants(), seconds, a.model().version());
            LOG.info("Round {} closed ({}) in {} s: model version {}", round.roundId(), why, seconds,
                    a.model().version());
        } else if (result instanceof RoundResult.Failed f) {
            metrics.roundFinalized(false, f.accepted(), seconds, f.modelVersion());
            LOG.warn("Round {} closed ({}) and failed: {}", round.roundId(), why, f.reason());
        }
    }

    private void loop() {
        while (running) {
            long wait;
            try {
                wait = tick();
            } catch (RuntimeException e) {
                LOG.error("Round scheduler step failed; retrying in {} ms", IDLE_MILLIS, e);
                wait = IDLE_MILLIS;
            }
            synchronized (signal) {
                try {
                    if (!signalled && running && wait > 0) {
                        signal.wait(wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                signalled = false;
            }
        }
    }

    /** Stops the loop; a round still open stays open in the coordinator and is abandoned. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        wake();
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // keep the caller's interrupt; the thread is a daemon
            }
        }
    }
}
