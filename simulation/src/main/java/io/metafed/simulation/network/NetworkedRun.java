package io.metafed.simulation.network;

import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.MetafedClient;
import io.metafed.sdk.transport.CoordinatorTransport;
import io.metafed.sdk.transport.FederatedParticipant;
import io.metafed.sdk.transport.TransportException;
import io.metafed.simulation.federation.ClientPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual devices taking part in rounds of a coordinator they reach only through a {@link CoordinatorTransport}
 * (HTTP in a networked simulation): every worker thread loops over its clients calling
 * {@link FederatedParticipant#participate()}, until the coordinator's model reaches the target version or time
 * runs out. Devices do not work on tasks for the target version itself, so the run ends at exactly that version
 * (unless other devices also take part). A coordinator outage is survived: the watcher keeps polling and devices
 * keep retrying. Bounded in time by construction.
 */
public final class NetworkedRun {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkedRun.class);
    private static final long IDLE_PAUSE_MILLIS = 5;

    /** What the devices saw. */
    public record Result(long finalVersion, long submitted, long refused, long unavailable, long vanished,
            double seconds) {
    }

    private final ClientPool pool;
    private final ParamLayout layout;
    private final CoordinatorTransport transport;
    private final long seed;
    private final boolean sendApart;

    public NetworkedRun(ClientPool pool, ParamLayout layout, CoordinatorTransport transport, long seed) {
        this(pool, layout, transport, seed, false);
    }

    /**
     * @param sendApart adapt on the worker threads but send on threads of their own: a securely aggregated send
     *                  waits for the round's other devices, some of which share the worker thread
     */
    public NetworkedRun(ClientPool pool, ParamLayout layout, CoordinatorTransport transport, long seed,
            boolean sendApart) {
        this.pool = pool;
        this.layout = layout;
        this.transport = transport;
        this.seed = seed;
        this.sendApart = sendApart;
    }

    /** Enrolls every client, in user order. */
    public void enrollAll() {
        for (int user : pool.users()) {
            transport.enroll(clientId(user));
        }
    }

    public static String clientId(int user) {
        return "user-" + user;
    }

    /**
     * Participates until {@code modelVersion} reports at least {@code targetVersion}, or {@code timeout} passes.
     *
     * @param modelVersion the coordinator's current model version (e.g. from {@code /v1/status})
     */
    public Result run(long targetVersion, LongSupplier modelVersion, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder submitted = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder unavailable = new LongAdder();
        LongAdder vanished = new LongAdder();
        Counts counts = new Counts(submitted, refused, unavailable, vanished);
        Set<String> sending = ConcurrentHashMap.newKeySet();
        ExecutorService senders = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "metafed-network-sender");
            t.setDaemon(true);
            return t;
        });
        AtomicLong lastSeen = new AtomicLong(-1);
        Thread watcher = new Thread(() -> {
            boolean down = false;
            while (!stop.get()) {
                long wait = 20;
                try {
                    long version = modelVersion.getAsLong();
                    lastSeen.set(version);
                    if (down) {
                        LOG.info("Coordinator reachable again at model version {}", version);
                        down = false;
                    }
                    if (version >= targetVersion) {
                        stop.set(true);
                        return;
                    }
                } catch (RuntimeException e) {
                    // An outage must not end the watch: without it the devices would run until the timeout.
                    if (!down) {
                        LOG.warn("Coordinator unreachable ({}); devices keep retrying", e.toString());
                        down = true;
                    }
                    wait = 500;
                }
                if (System.nanoTime() > deadline) {
                    LOG.warn("Stopping at the time limit before model version {} (last seen {})", targetVersion,
                            lastSeen.get());
                    stop.set(true);
                    return;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                }
            }
        }, "metafed-network-watcher");
        watcher.setDaemon(true);
        watcher.start();
        pool.onEachWorker((worker, clients) -> {
            List<FederatedParticipant> mine = new ArrayList<>();
            for (Map.Entry<Integer, MetafedClient> e : clients.entrySet()) {
                mine.add(new FederatedParticipant(clientId(e.getKey()), e.getValue(), layout, transport, seed));
            }
            while (!stop.get()) {
                boolean worked = false;
                for (FederatedParticipant p : mine) {
                    if (stop.get()) {
                        break;
                    }
                    if (sendApart) {
                        worked |= prepareAndHandOff(p, sending, senders, counts, targetVersion);
                        continue;
                    }
                    try {
                        Optional<FederatedParticipant.Contribution> c = p.prepare();
                        // A round on model v makes v + 1: none of ours works on the target version itself, so the
                        // run stops at exactly the target even when the watcher sees it late.
                        if (c.isPresent() && c.get().task().modelVersion() < targetVersion
                                && p.send(c.get()).submitted()) {
                            submitted.increment();
                            worked = true;
                        }
                    } catch (TransportException e) {
                        counts.failed(p, e);
                    }
                }
                if (!worked) {
                    pause();
                }
            }
            return null;
        });
        stop.set(true);
        senders.shutdownNow();
        long finalVersion;
        try {
            finalVersion = modelVersion.getAsLong();
        } catch (RuntimeException e) {
            finalVersion = lastSeen.get();
        }
        return new Result(finalVersion, submitted.sum(), refused.sum(), unavailable.sum(), vanished.sum(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Outcome counters of a run. */
    private record Counts(LongAdder submitted, LongAdder refused, LongAdder unavailable, LongAdder vanished) {
        void failed(FederatedParticipant p, TransportException e) {
            if (e.errorCode().filter(ChurningTransport.VANISHED::equals).isPresent()) {
                vanished.increment();
            } else {
                (e.retryable() ? unavailable : refused).increment();
            }
            LOG.debug("Client {}: {}", p.clientId(), e.getMessage());
        }
    }

    /** Adapts on this (worker) thread, then sends on a sender thread; a device with a send in flight is skipped. */
    private static boolean prepareAndHandOff(FederatedParticipant p, Set<String> sending, ExecutorService senders,
            Counts counts, long targetVersion) {
        if (sending.contains(p.clientId())) {
            return false;
        }
        try {
            Optional<FederatedParticipant.Contribution> c = p.prepare();
            if (c.isEmpty() || c.get().task().modelVersion() >= targetVersion) {
                return false;
            }
            sending.add(p.clientId());
            senders.execute(() -> {
                try {
                    p.send(c.get());
                    counts.submitted().increment();
                } catch (TransportException e) {
                    counts.failed(p, e);
                } finally {
                    sending.remove(p.clientId());
                }
            });
            return true;
        } catch (TransportException e) {
            counts.failed(p, e);
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(IDLE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
