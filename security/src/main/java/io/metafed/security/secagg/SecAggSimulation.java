package io.metafed.security.secagg;

import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Runs one round in process: n {@link SecAggClient}s and a {@link SecAggServer}, messages passed by
 * reference, clients dropping per a {@link DropoutPlan}. Times each party's calls (wall clock per
 * call; with {@code parallelClients} the clients of a stage run on the common pool, each call still
 * timed on its own thread; the server is always one thread) and counts message bytes
 * ({@code wireBytes()}) per stage and direction.
 */
public final class SecAggSimulation {
    private final SecAggConfig config;
    private final IntFunction<SecureRandom> randomForClient;
    private final boolean parallelClients;

    public SecAggSimulation(SecAggConfig config) {
        this(config, id -> new SecureRandom(), false);
    }

    /** @param randomForClient each client's randomness by id; tests pass seeded sources */
    public SecAggSimulation(SecAggConfig config, IntFunction<SecureRandom> randomForClient) {
        this(config, randomForClient, false);
    }

    public SecAggSimulation(SecAggConfig config, IntFunction<SecureRandom> randomForClient, boolean parallelClients) {
        this.config = config;
        this.randomForClient = randomForClient;
        this.parallelClients = parallelClients;
    }

    /** @param inputs inputs[id − 1] is client id's encoded vector (length = dimension) */
    public SecAggResult run(int[][] inputs, DropoutPlan plan) {
        if (inputs.length != config.clientCount()) {
            throw new IllegalArgumentException("inputs: need clientCount=" + config.clientCount() + " vectors, got " + inputs.length);
        }
        Meter m = new Meter();
        SecAggServer server = m.server(() -> new SecAggServer(config)); // derives the graph: server work
        List<SecAggClient> clients = new ArrayList<>();
        for (int id = 1; id <= config.clientCount(); id++) {
            clients.add(new SecAggClient(config, id, randomForClient.apply(id)));
        }

        int answered = stage(m, clients, plan, SecAggStage.ADVERTISE_KEYS, id -> true,
                SecAggClient::advertiseKeys, msg -> msg.wireBytes(), server::acceptKeys);
        Optional<KeyRoster> roster = m.server(server::closeKeyAdvertisement);
        if (roster.isEmpty()) {
            m.endStage(SecAggStage.ADVERTISE_KEYS, answered, 0L, 0);
            return m.result(server, null, new TreeSet<>());
        }
        // Each client gets the roster part it needs (itself and its neighbours; all of U1 with the complete graph).
        // With the complete graph that part is the whole roster: one shared instance, as before SecAgg+.
        Map<Integer, KeyRoster> rosters = m.server(() -> roster.get().keys().keySet().stream()
                .collect(Collectors.toMap(Function.identity(),
                        id -> config.complete() ? roster.get() : server.rosterFor(id))));
        m.endStage(SecAggStage.ADVERTISE_KEYS, answered,
                rosters.values().stream().mapToLong(KeyRoster::wireBytes).sum(), rosters.size());

        answered = stage(m, clients, plan, SecAggStage.SHARE_KEYS, rosters::containsKey,
                c -> c.shareKeys(rosters.get(c.clientId())), msg -> msg.wireBytes(), server::acceptShares);
        Optional<Map<Integer, ShareInbox>> inboxes = m.server(server::closeShareKeys);
        m.endStage(SecAggStage.SHARE_KEYS, answered,
                inboxes.map(b -> b.values().stream().mapToLong(ShareInbox::wireBytes).sum()).orElse(0L),
                inboxes.map(Map::size).orElse(0));
        if (inboxes.isEmpty()) {
            return m.result(server, null, new TreeSet<>());
        }

        answered = stage(m, clients, plan, SecAggStage.MASKED_INPUT, inboxes.get()::containsKey,
                c -> c.maskedInput(inboxes.get().get(c.clientId()), inputs[c.clientId() - 1]),
                msg -> msg.wireBytes(), server::acceptMaskedInput);
        Optional<UnmaskRequest> request = m.server(server::closeMaskedInput);
        int u3 = request.map(r -> r.survivors().size()).orElse(0);
        m.endStage(SecAggStage.MASKED_INPUT, answered, request.map(r -> (long) r.wireBytes() * u3).orElse(0L), u3);
        if (request.isEmpty()) {
            return m.result(server, null, new TreeSet<>());
        }

        answered = stage(m, clients, plan, SecAggStage.UNMASKING, request.get().survivors()::contains,
                c -> c.unmask(request.get()), msg -> msg.wireBytes(), server::acceptUnmaskResponse);
        Optional<int[]> sum = m.server(server::finish);
        m.endStage(SecAggStage.UNMASKING, answered, 0, 0);
        SortedSet<Integer> included = sum.isPresent() ? new TreeSet<>(request.get().survivors()) : new TreeSet<>();
        return m.result(server, sum.orElse(null), included);
    }

    /** Clients still in the plan and in the server's current set answer; the server takes each reply. */
    private <M> int stage(Meter m, List<SecAggClient> clients, DropoutPlan plan, SecAggStage stage,
            Predicate<Integer> invited, Function<SecAggClient, M> call, Function<M, Integer> size,
            java.util.function.Consumer<M> accept) {
        List<SecAggClient> active = clients.stream()
                .filter(c -> plan.answers(c.clientId(), stage) && invited.test(c.clientId()))
                .collect(Collectors.toList()); // not Stream.toList(): Java 16, absent from Android before API 34
        List<M> replies = (parallelClients ? active.parallelStream() : active.stream())
                .map(c -> m.client(() -> call.apply(c))).collect(Collectors.toList());
        for (M reply : replies) {
            m.up(size.apply(reply));
            m.server(() -> accept.accept(reply));
        }
        return active.size();
    }
}
