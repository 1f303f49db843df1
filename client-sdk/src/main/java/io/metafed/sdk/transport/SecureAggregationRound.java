package io.metafed.sdk.transport;

import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SecureAggregationTask;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.security.secagg.SecAggClient;
import io.metafed.security.secagg.SecAggConfig;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggSignatures;
import io.metafed.security.secagg.SecAggSignatures.SignedRoster;
import io.metafed.security.signature.Ed25519KeyPair;
import java.util.Map;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggProtocolException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A device's side of one securely aggregated round: clip and encode the update on the device (the task's
 * {@link FixedPointEncoder} parameters), then advertise keys → wait for the roster → send shares → wait for the
 * inbox → send the masked input → wait for the unmask request → answer it. The coordinator never sees the update,
 * only the masked input. Single use.
 */
public final class SecureAggregationRound {
    /** Code of a {@link TransportException} when a stage did not close within the round's time budget. */
    public static final String TIMEOUT = "secagg_timeout";
    /** Code of a {@link TransportException} for a round this device cannot or will not run. */
    public static final String UNSUPPORTED = "secagg_unsupported";
    /** Caps the wait for the key stage, whatever deadline the task names. */
    private static final long MAX_ROUND_MILLIS = 3_600_000;
    private final SecureAggregationChannel channel;
    private final String clientId;
    private final TaskResponse task;
    private final SecureAggregationTask params;
    private final SecureRandom random;
    private final InputTap tap;

    /**
     * Sees the words handed to the secure-aggregation client as its input (the encoded w·clip(Δ) and w), before
     * they are masked. Package-private: for audits of what a device contributes (tests check that no private
     * parameter is among them); nothing in the SDK keeps or sends what it sees.
     */
    @FunctionalInterface
    interface InputTap {
        void input(String clientId, TaskResponse task, int[] words);
    }

    public SecureAggregationRound(SecureAggregationChannel channel, String clientId, TaskResponse task,
            SecureRandom random) {
        this(channel, clientId, task, random, null);
    }

    SecureAggregationRound(SecureAggregationChannel channel, String clientId, TaskResponse task,
            SecureRandom random, InputTap tap) {
        this.tap = tap;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.task = Objects.requireNonNull(task, "task");
        this.params = Objects.requireNonNull(task.secureAggregation(), "task.secureAggregation");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Runs the protocol for Δ = {@code delta} with weight min(exampleCount, W).
     *
     * @return the weight sent
     * @throws TransportException from the channel; {@code BAD_RESPONSE} when the coordinator's messages break the
     *                            protocol; {@code UNAVAILABLE} with code {@value #TIMEOUT} when a stage never closed
     */
    public double run(float[] delta, int exampleCount) {
        if (!params.knownMode()) {
            // A protocol this SDK does not implement: guessing would mask with the wrong peers and fail late.
            throw TransportException.refused(0, UNSUPPORTED, "round " + task.roundId() + " uses secure-aggregation"
                    + " mode '" + params.mode() + "'; this SDK knows " + SecureAggregationTask.MODE_BONAWITZ + " and "
                    + SecureAggregationTask.MODE_SECAGG_PLUS + " (update the SDK)");
        }
        if (delta.length + 1 != params.dimension()) {
            throw TransportException.refused(0, TaskChecks.LAYOUT_MISMATCH, "round " + task.roundId()
                    + " aggregates " + (params.dimension() - 1) + " parameters, this update has " + delta.length);
        }
        FixedPointEncoder encoder = new FixedPointEncoder(params.clipNorm(), params.maxWeight(), params.maxClients());
        double weight = Math.min(exampleCount, params.maxWeight());
        int[] input = encoder.encode(delta, weight);
        if (tap != null) {
            tap.input(clientId, task, input.clone());
        }
        SecAggConfig config = protocol(() -> new SecAggConfig(params.clientCount(), params.threshold(),
                params.dimension(), task.roundId(), params.neighbourCount(), params.graphSeed()));
        Ed25519KeyPair identity = identity();
        SecAggClient client = new SecAggClient(config, params.clientIndex(), random);
        KeyAdvertisement keys = client.advertiseKeys();
        channel.advertiseKeys(clientId, task, keys, identity == null ? null
                : SecAggSignatures.signKeys(identity, config, clientId, keys));
        SignedRoster roster = await(() -> channel.signedRoster(clientId, task), "key roster");
        if (identity != null) {
            // Before anything depends on the peers' keys: every one must be signed by its enrolled identity.
            protocol(() -> {
                SecAggSignatures.verifyRoster(config, roster.roster(), roster.identities(), params.clientIndex(),
                        clientId, identity.publicKey());
                return null;
            });
        }
        channel.sendShares(clientId, task, protocol(() -> client.shareKeys(roster.roster())));
        ShareInbox inbox = await(() -> channel.inbox(clientId, task), "share inbox");
        channel.sendMaskedInput(clientId, task, protocol(() -> client.maskedInput(inbox, input)));
        UnmaskRequest request = await(() -> channel.unmaskRequest(clientId, task), "unmask request");
        if (identity != null) {
            // The consistency check: no share leaves this device unless t survivors saw the same survivor set.
            channel.sendConsistency(clientId, task, SecAggSignatures.signSurvivors(identity, config,
                    request.survivors()));
            Map<Integer, byte[]> signatures = await(() -> channel.survivorSignatures(clientId, task),
                    "survivor signatures");
            protocol(() -> {
                SecAggSignatures.verifySurvivors(config, request.survivors(), signatures, roster.identities());
                return null;
            });
        }
        channel.sendUnmask(clientId, task, protocol(() -> client.unmask(request)));
        return weight;
    }

    /**
     * The device's identity key for a signed round; null for an unsigned one. A device that has an identity key
     * refuses an unsigned round: a malicious coordinator could otherwise switch the signatures off.
     */
    private Ed25519KeyPair identity() {
        Optional<Ed25519KeyPair> identity = channel.identity(clientId);
        if (params.signed() && identity.isEmpty()) {
            throw TransportException.refused(0, UNSUPPORTED, "round " + task.roundId() + " is signed, but"
                    + " this device has no identity key (configure device keys)");
        }
        if (!params.signed() && identity.isPresent()) {
            throw TransportException.badResponse(0, "round " + task.roundId() + " is an unsigned secure round,"
                    + " but this device is enrolled with an identity key: refusing a downgrade to the variant"
                    + " without signatures and consistency check", null);
        }
        return identity.orElse(null);
    }

    /** Asks until the stage closed; the server bounds each ask, the round's deadline and stage timeout all asks. */
    private <T> T await(Supplier<Optional<T>> ask, String what) {
        long untilDeadline = Math.max(0, task.deadlineEpochMillis() - System.currentTimeMillis());
        long budget = Math.min(untilDeadline, MAX_ROUND_MILLIS) + params.stageTimeoutMillis() + 2 * Protocol.SECAGG_MAX_WAIT.toMillis();
        long end = System.nanoTime() + budget * 1_000_000;
        do {
            Optional<T> answer = ask.get();
            if (answer.isPresent()) {
                return answer.get();
            }
        } while (System.nanoTime() < end);
        throw TransportException.unavailable(0, TIMEOUT, "round " + task.roundId() + ": the " + what
                + " was not ready within " + budget + " ms", null);
    }

    private <T> T protocol(Supplier<T> step) {
        try {
            return step.get();
        } catch (SecAggProtocolException | IllegalArgumentException | IllegalStateException e) {
            throw TransportException.badResponse(0, "round " + task.roundId() + ": the coordinator's secure"
                    + " aggregation messages break the protocol: " + e.getMessage(), e);
        }
    }
}
