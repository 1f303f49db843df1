package io.metafed.coordinator.server.secagg;

import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.round.SecureAggregate;
import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.SecureAggregationTask;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.security.secagg.SecAggConfig;
import io.metafed.security.secagg.SecAggProtocolException;
import io.metafed.security.secagg.SecAggMessages;
import io.metafed.security.secagg.SecAggServer;
import io.metafed.security.secagg.SecAggSignatures;
import io.metafed.security.signature.Ed25519PublicKey;
import io.metafed.security.secagg.SecAggStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One securely aggregated round on the server: a {@link SecAggServer} behind the HTTP routes, with the selected
 * clients mapped to protocol indexes 1..n in selection order. Messages are accepted as they arrive; stages close
 * only in {@link #tick} (driven by the round scheduler, woken when a stage is complete): the key stage when
 * min(n, clientsPerRound) clients advertised or at the round's deadline, every later stage when all clients
 * still expected answered, or {@code quorumGrace} after t of them answered, or {@code stageTimeout} after it
 * began, whichever comes first. A stage with fewer than t answers fails the
 * round. Waiting clients get a future per stage that completes when it closes. Thread-safe.
 */
public final class SecureRoundSession {
    private final RoundTask task;
    private final SecAggSettings settings;
    private final SecAggConfig config;
    private final FixedPointEncoder encoder;
    private final SecAggServer server;
    private final List<String> clients;
    private final Map<String, Integer> indexes = new HashMap<>();
    private final int keyQuota;
    private final StageLog log;
    private final java.util.function.Function<String, Optional<Ed25519PublicKey>> identityKeys;
    private final boolean signed;
    /** Key-stage signatures by index (signed rounds). Guarded by this. */
    private final Map<Integer, byte[]> keySignatures = new HashMap<>();
    // Guarded by this.
    private long stageDeadline;
    /** When the current stage reached t answers; -1 before (or in the key stage, which has no quorum rule). */
    private long quorumSince = -1;
    private final Map<SecAggStage, Map<Integer, byte[]>> accepted = new EnumMap<>(SecAggStage.class);
    private final StageResults results;
    private final Map<SecAggStage, CompletableFuture<Void>> closed = new EnumMap<>(SecAggStage.class);

    /**
     * @param dimension      parameters + 1 (the weight word)
     * @param keyDeadline    the round's collection deadline: clients adapt, then advertise keys before it
     */
    public SecureRoundSession(RoundTask task, int clientsPerRound, int dimension, SecAggSettings settings,
            long now, long keyDeadline, StageLog log) {
        this(task, clientsPerRound, dimension, settings, now, keyDeadline, log, id -> Optional.empty());
    }

    /**
     * @param identityKeys the enrolled Ed25519 identity key of a client id; when any selected client has one, the
     *                     round is signed (the active-adversary variant: signed key advertisements, a consistency
     *                     check before unmasking)
     */
    public SecureRoundSession(RoundTask task, int clientsPerRound, int dimension, SecAggSettings settings,
            long now, long keyDeadline, StageLog log,
            java.util.function.Function<String, Optional<Ed25519PublicKey>> identityKeys) {
        this.task = task;
        this.results = new StageResults(task.roundId());
        this.settings = settings;
        this.clients = List.copyOf(task.selectedClients());
        int n = clients.size();
        // The graph seed only has to be unpredictable before the round (clients learn it with their task).
        this.config = settings.mode().config(n, dimension, task.roundId(), new SecureRandom().nextLong());
        this.encoder = new FixedPointEncoder(settings.clipNorm(), settings.maxWeight(), n);
        this.identityKeys = identityKeys;
        this.signed = clients.stream().anyMatch(c -> identityKeys.apply(c).isPresent());
        this.server = new SecAggServer(config, signed);
        for (int i = 0; i < n; i++) {
            indexes.put(clients.get(i), i + 1);
        }
        this.keyQuota = Math.min(n, clientsPerRound);
        this.stageDeadline = keyDeadline;
        this.log = log;
        for (SecAggStage s : StageLog.STAGES) {
            accepted.put(s, new HashMap<>());
            closed.put(s, new CompletableFuture<>());
        }
        log.begin(now);
    }

    public int roundId() {
        return task.roundId();
    }

    /** What {@code client}'s task response says about this round. */
    public SecureAggregationTask taskFor(String client) {
        return new SecureAggregationTask(index(client), config.clientCount(), config.threshold(), config.dimension(),
                settings.clipNorm(), settings.maxWeight(), encoder.maxClients(), settings.stageTimeout().toMillis(),
                signed, config.complete() ? SecureAggregationTask.MODE_BONAWITZ : SecureAggregationTask.MODE_SECAGG_PLUS,
                config.neighbours(), config.graphSeed());
    }

    /** Whether {@code client} may still start the round (the key stage is open and it has not advertised). */
    public synchronized boolean offersTaskTo(String client, long now) {
        Integer i = indexes.get(client);
        return i != null && server.stage() == SecAggStage.ADVERTISE_KEYS && now < stageDeadline
                && !accepted.get(SecAggStage.ADVERTISE_KEYS).containsKey(i)
                && accepted.get(SecAggStage.ADVERTISE_KEYS).size() < keyQuota;
    }

    /** {@code client}'s protocol index; 403 {@code not_selected} for a client not selected for this round. */
    public int index(String client) {
        Integer i = indexes.get(client);
        if (i == null) {
            throw new ApiException(403, ErrorCodes.NOT_SELECTED, "client " + client + " was not selected for"
                    + " secure round " + task.roundId());
        }
        return i;
    }

    public boolean signed() {
        return signed;
    }

    /**
     * Checks {@code client}'s key advertisement signature against its enrolled identity key (signed rounds), so one
     * device's bad signature is refused here (400) instead of making every honest peer abort the round.
     */
    public void requireKeysSigned(String client, SecAggMessages.KeyAdvertisement keys, byte[] signature) {
        if (!signed) {
            if (signature != null) {
                throw new ApiException(400, ErrorCodes.SECAGG_BAD_MESSAGE, "secure round " + task.roundId()
                        + " is unsigned: key advertisements carry no signature");
            }
            return;
        }
        Ed25519PublicKey identity = identityKeys.apply(client).orElseThrow(() -> new ApiException(403,
                ErrorCodes.UNKNOWN_CLIENT, "client " + client + " has no identity key for signed round "
                + task.roundId()));
        if (signature == null || !SecAggSignatures.keysSignatureValid(identity, config, client, keys, signature)) {
            throw new ApiException(400, ErrorCodes.SECAGG_BAD_MESSAGE, "key advertisement of client " + client
                    + " in signed round " + task.roundId() + (signature == null ? " has no signature"
                    : " is not signed by its identity key " + identity.fingerprint()));
        }
    }

    /** Remembers an accepted advertisement's signature for the roster. */
    public synchronized void keySignature(int index, byte[] signature) {
        if (signature != null) {
            keySignatures.putIfAbsent(index, signature.clone());
        }
    }

    /** Words per masked input. */
    public int dimension() {
        return config.dimension();
    }

    /** Clients selected (n); bounds the size of every message of the round. */
    public int clientCount() {
        return config.clientCount();
    }

    /**
     * Takes one client's message for {@code stage}: {@code call} hands it to the protocol server. A repeat of an
     * accepted message (same body digest) is answered as accepted again, so retries after a lost response are
     * harmless; a different second message is 409 {@code duplicate_update}.
     *
     * @return whether the stage now has every answer it waits for (the scheduler should be woken)
     */
    public synchronized boolean accept(SecAggStage stage, int index, byte[] digest, long now,
            Consumer<SecAggServer> call) {
        byte[] earlier = accepted.get(stage).get(index);
        if (earlier != null) {
            if (Arrays.equals(earlier, digest)) {
                return false;
            }
            throw new ApiException(409, ErrorCodes.DUPLICATE_UPDATE, "client " + clients.get(index - 1)
                    + " already sent a different " + stage + " message in round " + task.roundId());
        }
        if (server.stage() != stage || now >= stageDeadline) {
            throw wrongStage(stage + " message of client " + clients.get(index - 1));
        }
        if (stage == SecAggStage.ADVERTISE_KEYS && accepted.get(stage).size() >= keyQuota) {
            throw new ApiException(409, ErrorCodes.STALE_ROUND, "secure round " + task.roundId() + " already has "
                    + keyQuota + " participants; client " + clients.get(index - 1) + " is too late");
        }
        try {
            call.accept(server);
        } catch (SecAggProtocolException | IllegalArgumentException e) {
            throw new ApiException(400, ErrorCodes.SECAGG_BAD_MESSAGE, stage + " message of client "
                    + clients.get(index - 1) + " refused: " + e.getMessage());
        }
        accepted.get(stage).put(index, digest.clone());
        // The grace period starts at t answers with the complete graph; with SecAgg+ at a majority of n (as the
        // consistency check needs), since the small per-neighbourhood t says little about the whole round.
        int needed = SecAggSignatures.consistencyQuorum(config);
        boolean quorum = stage != SecAggStage.ADVERTISE_KEYS && settings.graceful() && quorumSince < 0
                && accepted.get(stage).size() >= needed;
        if (quorum) {
            quorumSince = now; // the scheduler must learn the earlier close time: wake it
        }
        return quorum || accepted.get(stage).size() >= expected(stage);
    }

    /**
     * A future of {@code result} (read under the lock) once {@code stage} has closed, or empty after
     * {@code waitMillis}; the result throws {@link ApiException} when the round failed or the client left it.
     */
    public <T> CompletableFuture<Optional<T>> after(SecAggStage stage, long waitMillis, Supplier<T> result) {
        CompletableFuture<Optional<T>> answer = closed.get(stage).thenApply(v -> {
            synchronized (this) {
                return Optional.of(result.get());
            }
        });
        return answer.completeOnTimeout(Optional.empty(), waitMillis, TimeUnit.MILLISECONDS);
    }

    /** What the closed stages produced; read inside {@link #after}'s supplier. */
    public StageResults results() {
        return results;
    }

    /**
     * Closes every stage whose answers are complete or whose deadline passed at {@code now}.
     *
     * @return milliseconds until the current stage's deadline, or 0 once the round is DONE or FAILED
     */
    public long tick(long now) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        long wait;
        synchronized (this) {
            while (!terminal() && (accepted.get(server.stage()).size() >= expected(server.stage())
                    || now >= closesAt())) {
                SecAggStage stage = server.stage();
                closeStage(stage, now);
                log.closed(stage, now, accepted.get(stage).size());
                done.add(closed.get(stage));
                stageDeadline = now + settings.stageTimeout().toMillis();
                quorumSince = -1;
            }
            if (terminal()) {
                done.addAll(closed.values());
                log.finished(results.aggregate() != null, now);
            }
            wait = terminal() ? 0 : Math.max(1, closesAt() - now);
        }
        done.forEach(f -> f.complete(null)); // outside the lock: waiters read results under it
        return wait;
    }

    /** The stage's deadline, or earlier: the end of the grace period after it reached a quorum. */
    private long closesAt() {
        return quorumSince < 0 ? stageDeadline : Math.min(stageDeadline, quorumSince
                + settings.quorumGrace().toMillis());
    }

    public synchronized boolean terminal() {
        return server.stage() == SecAggStage.DONE || server.stage() == SecAggStage.FAILED;
    }

    /** The decoded sum once the round is DONE. */
    public synchronized Optional<SecureAggregate> aggregate() {
        return Optional.ofNullable(results.aggregate());
    }

    /** Why the round failed, once it has. */
    public synchronized Optional<String> failure() {
        return server.stage() == SecAggStage.FAILED ? Optional.of(server.failureReason().orElse("protocol error"))
                : Optional.empty();
    }

    private int expected(SecAggStage stage) {
        return switch (stage) {
            case ADVERTISE_KEYS -> keyQuota;
            case SHARE_KEYS -> accepted.get(SecAggStage.ADVERTISE_KEYS).size();
            case MASKED_INPUT -> accepted.get(SecAggStage.SHARE_KEYS).size();
            case CONSISTENCY_CHECK -> accepted.get(SecAggStage.MASKED_INPUT).size();
            case UNMASKING -> accepted.get(signed ? SecAggStage.CONSISTENCY_CHECK : SecAggStage.MASKED_INPUT).size();
            default -> 0;
        };
    }

    private void closeStage(SecAggStage stage, long now) {
        switch (stage) {
            case ADVERTISE_KEYS -> {
                results.roster(server.closeKeyAdvertisement().orElse(null), identities());
                // Unsigned SecAgg+: each device needs only its neighbourhood's keys. Signed rounds keep the whole
                // roster, whose identities the devices need for the majority consistency check.
                if (results.roster() != null && !config.complete() && !signed) {
                    Map<Integer, SecAggMessages.KeyRoster> parts = new HashMap<>();
                    results.roster().keys().keySet().forEach(i -> parts.put(i, server.rosterFor(i)));
                    results.rosterParts(parts);
                }
            }
            case CONSISTENCY_CHECK -> results.signatures(server.closeConsistencyCheck().orElse(null));
            case SHARE_KEYS -> results.inboxes(server.closeShareKeys().orElse(null));
            case MASKED_INPUT -> results.unmask(server.closeMaskedInput().orElse(null));
            case UNMASKING -> finish();
            default -> throw new IllegalStateException("no stage to close in " + stage);
        }
    }

    /** The signed identity of every key advertiser (empty in unsigned rounds). */
    private Map<Integer, SecAggSignatures.PeerIdentity> identities() {
        Map<Integer, SecAggSignatures.PeerIdentity> out = new HashMap<>();
        keySignatures.forEach((i, sig) -> identityKeys.apply(clients.get(i - 1)).ifPresent(k -> out.put(i,
                new SecAggSignatures.PeerIdentity(clients.get(i - 1), k, sig))));
        return out;
    }

    private void finish() {
        Optional<int[]> sum;
        try {
            sum = server.finish();
        } catch (SecAggProtocolException e) {
            return; // the server moved to FAILED; failure() reports why
        }
        sum.map(encoder::decode).ifPresent(a -> results.aggregate(new SecureAggregate(task.roundId(),
                task.modelVersion(), task.layoutId(), a.weightedSum(), a.weightSum(),
                results.unmask().survivors().stream().map(i -> clients.get(i - 1)).toList())));
    }

    /** 409 {@code secagg_wrong_stage}, or {@code secagg_failed} once the round failed. */
    public ApiException wrongStage(String what) {
        synchronized (this) {
            if (server.stage() == SecAggStage.FAILED) {
                return new ApiException(409, ErrorCodes.SECAGG_FAILED, what + ": secure round " + task.roundId()
                        + " failed: " + failure().orElseThrow());
            }
            return new ApiException(409, ErrorCodes.SECAGG_WRONG_STAGE, what + " does not fit secure round "
                    + task.roundId() + ", which is in stage " + server.stage());
        }
    }
}
