package io.metafed.security.secagg;

import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Runs one round in process: n {@link SecAggClient}s and a {@link SecAggServer}, messages passed by
 * reference, clients dropping per a {@link DropoutPlan}. Times each party's calls (wall clock, one
 * thread) and counts message bytes ({@code wireBytes()}) per stage and direction.
 */
public final class SecAggSimulation {
    private final SecAggConfig config;
    private final IntFunction<SecureRandom> randomForClient;

    public SecAggSimulation(SecAggConfig config) {
        this(config, id -> new SecureRandom());
    }

    /** @param randomForClient each client's randomness by id; tests pass seeded sources */
    public SecAggSimulation(SecAggConfig config, IntFunction<SecureRandom> randomForClient) {
        this.config = config;
        this.randomForClient = randomForClient;
    }

    /** @param inputs inputs[id − 1] is client id's encoded vector (length = dimension) */
    public SecAggResult run(int[][] inputs, DropoutPlan plan) {
        if (inputs.length != config.clientCount()) {
            throw new IllegalArgumentException("inputs: need clientCount=" + config.clientCount() + " vectors, got " + inputs.length);
        }
        SecAggServer server = new SecAggServer(config);
        List<SecAggClient> clients = new ArrayList<>();
        for (int id = 1; id <= config.clientCount(); id++) {
            clients.add(new SecAggClient(config, id, randomForClient.apply(id)));
        }
        Meter m = new Meter();

        List<SecAggClient> active = answering(clients, plan, SecAggStage.ADVERTISE_KEYS);
        for (SecAggClient c : active) {
            var msg = m.client(c::advertiseKeys);
            m.up(msg.wireBytes());
            m.server(() -> server.acceptKeys(msg));
        }
        Optional<KeyRoster> roster = m.server(server::closeKeyAdvertisement);
        m.endStage(SecAggStage.ADVERTISE_KEYS, active.size(), roster.map(r -> (long) r.wireBytes() * r.keys().size()).orElse(0L));
        if (roster.isEmpty()) {
            return m.result(server, null, new TreeSet<>());
        }

        active = answering(clients, plan, SecAggStage.SHARE_KEYS).stream()
                .filter(c -> roster.get().keys().containsKey(c.clientId())).toList();
        for (SecAggClient c : active) {
            ShareUpload up = m.client(() -> c.shareKeys(roster.get()));
            m.up(up.wireBytes());
            m.server(() -> server.acceptShares(up));
        }
        Optional<Map<Integer, ShareInbox>> inboxes = m.server(server::closeShareKeys);
        m.endStage(SecAggStage.SHARE_KEYS, active.size(),
                inboxes.map(b -> b.values().stream().mapToLong(ShareInbox::wireBytes).sum()).orElse(0L));
        if (inboxes.isEmpty()) {
            return m.result(server, null, new TreeSet<>());
        }

        active = answering(clients, plan, SecAggStage.MASKED_INPUT).stream()
                .filter(c -> inboxes.get().containsKey(c.clientId())).toList();
        for (SecAggClient c : active) {
            MaskedInput y = m.client(() -> c.maskedInput(inboxes.get().get(c.clientId()), inputs[c.clientId() - 1]));
            m.up(y.wireBytes());
            m.server(() -> server.acceptMaskedInput(y));
        }
        Optional<UnmaskRequest> request = m.server(server::closeMaskedInput);
        m.endStage(SecAggStage.MASKED_INPUT, active.size(),
                request.map(r -> (long) r.wireBytes() * r.survivors().size()).orElse(0L));
        if (request.isEmpty()) {
            return m.result(server, null, new TreeSet<>());
        }

        active = answering(clients, plan, SecAggStage.UNMASKING).stream()
                .filter(c -> request.get().survivors().contains(c.clientId())).toList();
        for (SecAggClient c : active) {
            var shares = m.client(() -> c.unmask(request.get()));
            m.up(shares.wireBytes());
            m.server(() -> server.acceptUnmaskResponse(shares));
        }
        Optional<int[]> sum = m.server(server::finish);
        m.endStage(SecAggStage.UNMASKING, active.size(), 0);
        SortedSet<Integer> included = sum.isPresent() ? new TreeSet<>(request.get().survivors()) : new TreeSet<>();
        return m.result(server, sum.orElse(null), included);
    }

    private static List<SecAggClient> answering(List<SecAggClient> clients, DropoutPlan plan, SecAggStage stage) {
        return clients.stream().filter(c -> plan.answers(c.clientId(), stage)).toList();
    }
}
