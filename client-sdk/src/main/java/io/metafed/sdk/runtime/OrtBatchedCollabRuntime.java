package io.metafed.sdk.runtime;

import static io.metafed.model.onnx.CollabBatchedGraphs.THETA;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.metafed.model.Checks;
import io.metafed.model.nn.CollabAdaptationPlan;
import io.metafed.model.nn.CollabBatch;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabOffsets;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.onnx.CollabBatchedGraphs;
import io.metafed.model.onnx.MetafedGraphs;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FedRecon adaptation of many clients of one collaborative layout in two ONNX Runtime calls
 * ({@link CollabBatchedGraphs}): one builds every client's two ridge systems, which are solved here by the
 * reference's double-precision Cholesky, the other runs all k SGD steps of every client on a compact local copy of
 * what it can touch and both losses. It consumes each client's {@link CollabAdaptationPlan}, the one the one-client
 * path ({@code MetafedClient.adapt}) consumes, so it selects exactly the same rows; the results agree with that path
 * up to float rounding in the graphs (parity at 1e-5 in {@code OrtBatchedCollabRuntimeTest}).
 * <p>
 * θ lives in a direct buffer that is rewritten only when a different θ arrives (once per round: the vector is
 * immutable, so identity says whether it is the resident one); every other input and output lives in a direct
 * buffer reused across calls and grown only when a bigger group arrives, and the k steps run inside one call, so
 * nothing is allocated per step. What is allocated per call: each client's dense Δ (the update it sends) and its z,
 * its distinct item rows, and ORT's tensor wrappers and intermediate values. The packing of a group's inputs is
 * {@link CollabGroupInputs}'s, the graphs' outputs and their unpacking into {@link Outcome}s
 * {@link CollabGroupOutputs}'s; this class runs the sessions and the Java solve between the two graphs.
 * <p>
 * A client's failure (a ridge system that is not positive definite) is its own {@link Outcome}, never the group's.
 * Not thread-safe, like {@link OrtCollabRuntime}: one per simulator worker, one per device; concurrent use and use
 * after {@link #close()} throw {@link IllegalStateException}.
 */
public final class OrtBatchedCollabRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrtBatchedCollabRuntime.class);

    /** One client of a group: its encoded ratings (store order), its plan over them and its learning rate. */
    public static final class Member {
        final CollabBatch ratings;
        final CollabAdaptationPlan plan;
        final float learningRate;

        public Member(CollabBatch ratings, CollabAdaptationPlan plan, float learningRate) {
            this.ratings = Objects.requireNonNull(ratings, "ratings");
            this.plan = Objects.requireNonNull(plan, "plan");
            Checks.finite(learningRate, "learningRate");
            this.learningRate = learningRate;
            if (plan.size() != ratings.size()) {
                throw new IllegalArgumentException("plan must cover the " + ratings.size() + " ratings, found a plan"
                        + " of " + plan.size());
            }
        }

        public CollabAdaptationPlan plan() {
            return plan;
        }

        /** The encoded ratings every batch of the plan is drawn from. */
        public CollabBatch ratings() {
            return ratings;
        }
    }

    /**
     * One client's result: Δ of the shared parameters after the steps (the prior's entries 0: the prior step is the
     * caller's), the z reconstructed on all ratings, the z the steps held fixed and both losses; or its failure.
     */
    public static final class Outcome {
        private final float[] delta;
        private final float[] zAll;
        private final float[] zTrained;
        private final double lossBefore;
        private final double lossAfter;
        private final IllegalStateException failure;

        Outcome(float[] delta, float[] zAll, float[] zTrained, double lossBefore, double lossAfter,
                IllegalStateException failure) {
            this.delta = delta;
            this.zAll = zAll;
            this.zTrained = zTrained;
            this.lossBefore = lossBefore;
            this.lossAfter = lossAfter;
            this.failure = failure;
        }

        public boolean failed() {
            return failure != null;
        }

        /** @throws IllegalStateException the client's failure */
        private void requireOk() {
            if (failure != null) {
                throw failure;
            }
        }

        /** Δ = φ − θ without the prior step; the caller may take the array over. */
        public float[] delta() {
            requireOk();
            return delta;
        }

        public float[] zAll() {
            requireOk();
            return zAll;
        }

        public float[] zTrained() {
            requireOk();
            return zTrained;
        }

        public double lossBefore() {
            requireOk();
            return lossBefore;
        }

        public double lossAfter() {
            requireOk();
            return lossAfter;
        }

        public IllegalStateException failure() {
            return failure;
        }
    }

    private final ParamLayout layout;
    private final CollabConfig config;
    private final int privateSize;
    private final int prior;
    private final int intraOpThreads;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final UseGuard guard = new UseGuard("OrtBatchedCollabRuntime");
    private final OrtSession ridgeSession;
    private final Map<Integer, OrtSession> adaptationSessions = new HashMap<>();
    private final FloatBuffer theta;
    private final OnnxTensor thetaTensor;
    /** The θ whose values {@link #theta} holds (ParamVector is immutable, so identity suffices), or null. */
    private ParamVector resident;
    private final CollabGroupInputs group;
    private final CollabGroupOutputs results;

    /** @throws IllegalStateException when {@code layout} is not of the collaborative family */
    public OrtBatchedCollabRuntime(ParamLayout layout, int intraOpThreads) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.intraOpThreads = Checks.positive(intraOpThreads, "intraOpThreads");
        this.config = layout.collab();
        this.privateSize = config.privateSize();
        CollabOffsets offsets = CollabOffsets.of(layout);
        this.prior = offsets.prior();
        this.group = new CollabGroupInputs(config);
        this.results = new CollabGroupOutputs(config, offsets, layout.size());
        this.theta = DirectFloats.allocate(layout.size());
        OrtSession ridge = null;
        OnnxTensor t = null;
        try (OrtSession.SessionOptions options = OrtSessions.options(intraOpThreads)) {
            ridge = env.createSession(CollabBatchedGraphs.ridge(layout).bytes(), options);
            t = OnnxTensor.createTensor(env, theta, new long[] {layout.size()});
        } catch (OrtException | RuntimeException e) {
            OrtClose.quietly(ridge);
            throw new IllegalStateException("Failed to create the batched collaborative ONNX Runtime session for "
                    + layout, e);
        }
        this.ridgeSession = ridge;
        this.thetaTensor = t;
    }

    public ParamLayout layout() {
        return layout;
    }

    /**
     * Adapts θ to every member (all with the same number of steps) and returns their outcomes in order.
     *
     * @throws IllegalArgumentException for an empty group, a θ or batch that does not fit the layout, or members
     *                                  with different numbers of steps
     */
    public List<Outcome> adapt(ParamVector theta, List<Member> members) {
        Objects.requireNonNull(theta, "theta").requireSize(layout.size(), "theta");
        check(members);
        guard.enter("adapt");
        try {
            return run(theta, members);
        } catch (OrtException e) {
            throw new IllegalStateException("Failed to run the batched ONNX collaborative adaptation", e);
        } finally {
            guard.exit();
        }
    }

    private List<Outcome> run(ParamVector theta, List<Member> members) throws OrtException {
        if (theta != resident) {
            FloatBuffer view = this.theta.duplicate();
            ((Buffer) view).clear();
            view.put(theta.buffer());
            resident = theta;
        }
        group.pack(members);
        int clients = group.clients();

        // 1. Both ridge systems of every client; solved per client, so a bad system fails its client alone.
        try (Tensors in = new Tensors(); Tensors out = new Tensors()) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(THETA, thetaTensor);
            group.ridgeInputs(env, in, inputs);
            ridgeSession.run(inputs, results.ridge(env, out, clients)).close();
        }
        float[][] zAll = new float[clients][];
        float[][] zTrained = new float[clients][];
        IllegalStateException[] failures = new IllegalStateException[clients];
        for (int c = 0; c < clients; c++) {
            try {
                zAll[c] = results.solve(c * 2);
                switch (members.get(c).plan.user()) {
                    case RECONSTRUCTION:
                        zTrained[c] = results.solve(c * 2 + 1);
                        break;
                    case PRIOR:
                        zTrained[c] = theta.toArray(prior, prior + privateSize);
                        break;
                    default:
                        zTrained[c] = zAll[c];
                        break;
                }
            } catch (IllegalStateException e) {
                failures[c] = e;
                zTrained[c] = theta.toArray(prior, prior + privateSize); // a placeholder: the result is dropped
            }
        }
        group.packUsers(members, zTrained);

        // 2. Every step of every client on its local item rows, and both losses.
        try (Tensors in = new Tensors(); Tensors out = new Tensors()) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(THETA, thetaTensor);
            group.adaptationInputs(env, in, inputs);
            adaptationSession(group.steps()).run(inputs, results.adaptation(env, out, clients, group.local()))
                    .close();
        }

        // 3. Each client's dense Δ of the shared parameters.
        return results.outcomes(theta, group, zAll, zTrained, failures);
    }

    /** The session of the k-step graph, opened on first use (k is fixed by a round's task, so there are few). */
    private OrtSession adaptationSession(int steps) throws OrtException {
        OrtSession session = adaptationSessions.get(steps);
        if (session == null) {
            try (OrtSession.SessionOptions options = OrtSessions.options(intraOpThreads)) {
                session = env.createSession(CollabBatchedGraphs.adaptation(layout, steps).bytes(), options);
            }
            adaptationSessions.put(steps, session);
            LOG.debug("Opened the batched collaborative adaptation session for k = {} ({})", steps, layout);
        }
        return session;
    }

    private void check(List<Member> members) {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must not be empty");
        }
        int steps = members.get(0).plan.steps();
        for (int c = 0; c < members.size(); c++) {
            Member m = Objects.requireNonNull(members.get(c), "members[" + c + "]");
            if (m.plan.steps() != steps) {
                throw new IllegalArgumentException("members of one call must share the number of steps: members[0]"
                        + " has " + steps + ", members[" + c + "] has " + m.plan.steps());
            }
            m.ratings.requireFits(config, "members[" + c + "]");
        }
    }

    /**
     * Releases the sessions and θ's tensor; idempotent.
     *
     * @throws IllegalStateException when another thread is using the runtime
     */
    @Override
    public void close() {
        if (guard.close()) {
            thetaTensor.close();
            OrtClose.quietly(ridgeSession);
            for (OrtSession s : adaptationSessions.values()) {
                OrtClose.quietly(s);
            }
            adaptationSessions.clear();
        }
    }

    @Override
    public String toString() {
        return "OrtBatchedCollabRuntime[" + layout + ", graphs v" + MetafedGraphs.FORMAT_VERSION + "]";
    }
}
