package io.metafed.simulation.network;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.transport.CoordinatorTransport;
import io.metafed.sdk.transport.SecureAggregationChannel;
import io.metafed.sdk.transport.TransportException;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import io.metafed.security.secagg.SecAggStage;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A transport whose devices vanish mid-protocol as a {@link Churn} says: the message of the chosen stage is never
 * sent and the device's round ends with {@link TransportException} code {@value #VANISHED} (it stays enrolled for
 * later rounds). Records which devices' masked inputs reached the coordinator, i.e. whose updates the round's sum
 * holds if it completes.
 */
public final class ChurningTransport implements CoordinatorTransport, SecureAggregationChannel {
    public static final String VANISHED = "simulated_dropout";
    private final CoordinatorTransport transport;
    private final SecureAggregationChannel channel;
    private final Churn churn;
    private final Set<String> masked = ConcurrentHashMap.newKeySet();
    private final LongAdder vanished = new LongAdder();

    public <T extends CoordinatorTransport & SecureAggregationChannel> ChurningTransport(T transport, Churn churn) {
        this.transport = transport;
        this.channel = transport;
        this.churn = churn;
    }

    /** Devices whose masked input for {@code roundId} was accepted. */
    public Set<String> maskedInputsSent(int roundId) {
        Set<String> out = new java.util.TreeSet<>();
        String suffix = "@" + roundId;
        masked.stream().filter(k -> k.endsWith(suffix)).forEach(k -> out.add(k.substring(0, k.length()
                - suffix.length())));
        return out;
    }

    /** How many device-rounds vanished so far. */
    public long vanished() {
        return vanished.sum();
    }

    @Override
    public void enroll(String clientId) {
        transport.enroll(clientId);
    }

    @Override
    public Optional<TaskResponse> task(String clientId) {
        return transport.task(clientId);
    }

    @Override
    public GlobalModel downloadModel(ParamLayout layout) {
        return transport.downloadModel(layout);
    }

    @Override
    public void submit(String clientId, TaskResponse task, LocalUpdate update, ParamLayout layout) {
        transport.submit(clientId, task, update, layout);
    }

    @Override
    public void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys) {
        maybeVanish(clientId, task, SecAggStage.ADVERTISE_KEYS);
        channel.advertiseKeys(clientId, task, keys);
    }

    @Override
    public Optional<KeyRoster> roster(String clientId, TaskResponse task) {
        return channel.roster(clientId, task);
    }

    @Override
    public void sendShares(String clientId, TaskResponse task, ShareUpload shares) {
        maybeVanish(clientId, task, SecAggStage.SHARE_KEYS);
        channel.sendShares(clientId, task, shares);
    }

    @Override
    public Optional<ShareInbox> inbox(String clientId, TaskResponse task) {
        return channel.inbox(clientId, task);
    }

    @Override
    public void sendMaskedInput(String clientId, TaskResponse task, MaskedInput input) {
        maybeVanish(clientId, task, SecAggStage.MASKED_INPUT);
        channel.sendMaskedInput(clientId, task, input);
        masked.add(clientId + "@" + task.roundId());
    }

    @Override
    public Optional<UnmaskRequest> unmaskRequest(String clientId, TaskResponse task) {
        return channel.unmaskRequest(clientId, task);
    }

    @Override
    public void sendUnmask(String clientId, TaskResponse task, UnmaskResponse response) {
        maybeVanish(clientId, task, SecAggStage.UNMASKING);
        channel.sendUnmask(clientId, task, response);
    }

    @Override
    public Optional<io.metafed.security.signature.Ed25519KeyPair> identity(String clientId) {
        return channel.identity(clientId);
    }

    @Override
    public void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys, byte[] signature) {
        maybeVanish(clientId, task, SecAggStage.ADVERTISE_KEYS);
        channel.advertiseKeys(clientId, task, keys, signature);
    }

    @Override
    public Optional<io.metafed.security.secagg.SecAggSignatures.SignedRoster> signedRoster(String clientId,
            TaskResponse task) {
        return channel.signedRoster(clientId, task);
    }

    @Override
    public void sendConsistency(String clientId, TaskResponse task, byte[] signature) {
        channel.sendConsistency(clientId, task, signature);
    }

    @Override
    public Optional<java.util.Map<Integer, byte[]>> survivorSignatures(String clientId, TaskResponse task) {
        return channel.survivorSignatures(clientId, task);
    }

    private void maybeVanish(String clientId, TaskResponse task, SecAggStage stage) {
        if (churn.vanishesBefore(clientId, task.roundId()).filter(stage::equals).isPresent()) {
            vanished.increment();
            throw TransportException.unavailable(0, VANISHED, "client " + clientId + " vanished before " + stage
                    + " of round " + task.roundId() + " (simulated churn)", null);
        }
    }
}
