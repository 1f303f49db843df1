package io.metafed.sdk;

import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamVector;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MetafedClient#adaptTogether}: several collaborative clients adapted in one batched runtime call per number
 * of steps. Each client is locked only to take its ratings and, afterwards, to install its z, never during the
 * call, so two groups sharing a client cannot deadlock; a rating recorded in between counts from the next
 * adaptation, as it would had it arrived just after {@link MetafedClient#adapt}.
 */
final class CollabGroup {
    private CollabGroup() {
    }

    /** What a client contributes to the group: its device, its ratings' count and its runtime member. */
    static final class Entry {
        final CollabDevice device;
        final int examples;
        final OrtBatchedCollabRuntime.Member member;

        Entry(CollabDevice device, int examples, OrtBatchedCollabRuntime.Member member) {
            this.device = device;
            this.examples = examples;
            this.member = member;
        }
    }

    static List<AdaptationOutcome> adapt(List<MetafedClient> clients, GlobalModel model,
            List<AdaptationConfig> configs, OrtBatchedCollabRuntime runtime) {
        if (clients.size() != configs.size()) {
            throw new IllegalArgumentException("configs must have one entry per client (" + clients.size()
                    + "), found " + configs.size());
        }
        model.requireLayout(runtime.layout());
        int count = clients.size();
        Entry[] entries = new Entry[count];
        AdaptationOutcome[] outcomes = new AdaptationOutcome[count];
        // Clients grouped by their number of steps (a graph constant), in order within each group.
        Map<Integer, List<Integer>> bySteps = new LinkedHashMap<>();
        for (int c = 0; c < count; c++) {
            AdaptationConfig config = configs.get(c);
            if (config == null) {
                throw new NullPointerException("configs[" + c + "]");
            }
            try {
                entries[c] = clients.get(c).batchEntry(model, config, runtime.layout());
            } catch (IllegalStateException e) {
                outcomes[c] = AdaptationOutcome.failed(e);
                continue;
            }
            List<Integer> group = bySteps.get(config.steps());
            if (group == null) {
                group = new ArrayList<>();
                bySteps.put(config.steps(), group);
            }
            group.add(c);
        }
        ParamVector theta = model.vector();
        for (List<Integer> group : bySteps.values()) {
            List<OrtBatchedCollabRuntime.Member> members = new ArrayList<>(group.size());
            for (int c : group) {
                members.add(entries[c].member);
            }
            List<OrtBatchedCollabRuntime.Outcome> results = runtime.adapt(theta, members);
            for (int j = 0; j < group.size(); j++) {
                int c = group.get(j);
                outcomes[c] = finish(clients.get(c), entries[c], results.get(j), model, configs.get(c));
            }
        }
        List<AdaptationOutcome> list = new ArrayList<>(count);
        for (AdaptationOutcome o : outcomes) {
            list.add(o);
        }
        return list;
    }

    /** The prior step, the divergence check and the update, as {@link CollabDevice#adapt} and adapt do them. */
    private static AdaptationOutcome finish(MetafedClient client, Entry entry, OrtBatchedCollabRuntime.Outcome r,
            GlobalModel model, AdaptationConfig config) {
        if (r.failed()) {
            return AdaptationOutcome.failed(r.failure());
        }
        try {
            CollabDevice.requireConverged(r.lossBefore(), r.lossAfter(), config);
            float[] delta = r.delta();
            if (entry.member.plan().priorStep()) {
                entry.device.priorStep(model.vector(), r.zAll(), delta);
            }
            // The runtime wrote Δ only at the member's rows and the tower, as CollabDevice's support says.
            LocalUpdate update = new LocalUpdate(model.version(), ParamVector.adoptSparse(delta,
                    entry.device.support(entry.member)), entry.examples, r.lossBefore(), r.lossAfter());
            client.installUser(model, r.zAll());
            return AdaptationOutcome.of(update);
        } catch (IllegalStateException e) {
            return AdaptationOutcome.failed(e);
        }
    }

    /** Ratings of a client, as {@link MetafedClient#adapt} takes them. */
    static List<Interaction> requireRatings(List<Interaction> ratings, int user) {
        if (ratings.isEmpty()) {
            throw new IllegalStateException("no local ratings to adapt on: user " + user + " has recorded none");
        }
        return ratings;
    }
}
