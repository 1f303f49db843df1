package io.metafed.sdk.transport;

import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SecureAggregationTask;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.security.secagg.SecAggClient;
import io.metafed.security.secagg.SecAggConfig;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
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
    /** Caps the wait for the key stage, whatever deadline the task names. */
    private static final long MAX_ROUND_MILLIS = 3_600_000;
    private final SecureAggregationChannel channel;
    private final String clientId;
    private final TaskResponse task;
    private final SecureAggregationTask params;
    private final SecureRandom random;

    public SecureAggregationRound(SecureAggregationChannel channel, String clientId, TaskResponse task,
            SecureRandom random) {
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
        if (delta.length + 1 != params.dimension()) {
            throw TransportException.refused(0, TaskChecks.LAYOUT_MISMATCH, "round " + task.roundId()
                    + " aggregates " + (params.dimension() - 1) + " parameters, this update has " + delta.length);
        }
        FixedPointEncoder encoder = new FixedPointEncoder(params.clipNorm(), params.maxWeight(), params.maxClients());
        double weight = Math.min(exampleCount, params.maxWeight());
        int[] input = encoder.encode(delta, weight);
        SecAggClient client = new SecAggClient(new SecAggConfig(params.clientCount(), params.threshold(),
                params.dimension(), task.roundId()), params.clientIndex(), random);
        channel.advertiseKeys(clientId, task, client.advertiseKeys());
        KeyRoster roster = await(() -> channel.roster(clientId, task), "key roster");
        channel.sendShares(clientId, task, protocol(() -> client.shareKeys(roster)));
        ShareInbox inbox = await(() -> channel.inbox(clientId, task), "share inbox");
        channel.sendMaskedInput(clientId, task, protocol(() -> client.maskedInput(inbox, input)));
        UnmaskRequest request = await(() -> channel.unmaskRequest(clientId, task), "unmask request");
        channel.sendUnmask(clientId, task, protocol(() -> client.unmask(request)));
        return weight;
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
