package io.metafed.sdk;

import io.metafed.model.Checks;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.Profiles;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.UserProfile;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.features.FeatureEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.CollabRuntime;
import io.metafed.model.nn.ModelRuntime;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.Support;
import io.metafed.model.onnx.MetafedGraphs;
import io.metafed.sdk.runtime.OrtBatchedCollabRuntime;
import io.metafed.sdk.runtime.OrtCollabRuntime;
import io.metafed.sdk.runtime.OrtModelRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app-facing SDK of one user on one device: records the user's ratings privately, adapts a global model
 * to them and recommends with the adapted model φ. Only model updates and scores leave it, never a rating.
 * <p>
 * Thread-safe: every method synchronizes on the client, so concurrent calls run one after another. Adaptation
 * takes milliseconds, so apps should still call it off their UI thread. Build with {@link #builder()}; close
 * to release the store and, unless the runtime was supplied, the ONNX sessions.
 */
public final class MetafedClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetafedClient.class);

    private final InteractionStore store;
    private final Path storePath;
    private final UserProfile user;
    private final ParamLayout layout;
    private final ModelRuntime runtime;
    private final OrtModelRuntime ownedRuntime;
    private final CandidateScorer scorer;
    private final CollabDevice collab;
    private final AutoCloseable ownedCollabRuntime;
    private final Clock clock;
    private final RatingScale scale;
    /** θ as received: shared with whoever else holds the model, read-only, so never copied just to keep it. */
    private ParamVector global;
    /** This client's array of θ for scoring with θ itself, made on first use (the runtimes read arrays). */
    private float[] globalArray;
    private float[] adapted;
    /** The collaborative model's private user parameters z; never leaves this object. */
    private float[] userParams;
    private boolean closed;

    private MetafedClient(Builder b, InteractionStore store, ModelRuntime runtime, OrtModelRuntime ownedRuntime,
            CandidateScorer scorer, CollabDevice collab, AutoCloseable ownedCollabRuntime) {
        this.store = store;
        this.storePath = b.storePath;
        this.user = b.user;
        this.layout = b.layout;
        this.runtime = runtime;
        this.ownedRuntime = ownedRuntime;
        this.scorer = scorer;
        this.collab = collab;
        this.ownedCollabRuntime = ownedCollabRuntime;
        this.clock = b.clock;
        this.scale = b.scale;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Stores a rating of a catalog item, durably, timestamped in epoch seconds by the client's clock. */
    public synchronized void recordRating(int item, float rating) {
        requireOpen();
        requireItem(item);
        if (!scale.contains(rating)) {
            throw new IllegalArgumentException(scale.refusal(rating));
        }
        store.append(item, rating, clock.instant().getEpochSecond());
    }

    /** Stores several ratings at once (e.g. imported history) with one durable write; all or none are stored. */
    public synchronized void recordRatings(int[] items, float[] ratings) {
        requireOpen();
        for (int i = 0; i < items.length; i++) {
            requireItem(items[i]);
            if (i < ratings.length && !scale.contains(ratings[i])) {
                throw new IllegalArgumentException("ratings[" + i + "]: " + scale.refusal(ratings[i]));
            }
        }
        store.appendAll(items, ratings, clock.instant().getEpochSecond());
    }

    public synchronized int ratingCount() {
        requireOpen();
        return store.size();
    }

    /**
     * Scores with {@code model} as is, e.g. for a user with no ratings yet. Drops any adapted model, which was
     * adapted from an earlier global model.
     */
    public synchronized void useGlobalModel(GlobalModel model) {
        requireOpen();
        model.requireLayout(layout);
        global = model.vector();
        globalArray = null;
        adapted = null;
        // The model as is: a collaborative model's user sits at the shared prior until adapt(...) reconstructs it.
        userParams = collab == null ? null : collab.priorOf(global);
    }

    /**
     * Adapts {@code model} (θ) to this user's ratings as {@code config} says, keeps the result φ for scoring and
     * returns Δ = φ − θ. On failure the models in use stay as they were.
     *
     * @throws IllegalArgumentException when the model does not follow the client's layout
     * @throws IllegalStateException    when there are no ratings yet, or adaptation diverged
     */
    public synchronized LocalUpdate adapt(GlobalModel model, AdaptationConfig config) {
        requireOpen();
        Objects.requireNonNull(config, "config");
        model.requireLayout(layout);
        List<Interaction> ratings = store.snapshot();
        if (ratings.isEmpty()) {
            throw new IllegalStateException("no local ratings to adapt on: user " + user.id() + " has recorded none");
        }
        long start = System.nanoTime();
        ParamVector theta = model.vector();
        if (collab != null) {
            CollabDevice.Result r = collab.adapt(theta, ratings, config);
            // φ only serves the update, so Δ overwrites it rather than taking a second θ-sized array; only where
            // training could move φ: the vector zeroes the rest (φ = θ there) and later passes skip it.
            LocalUpdate update = new LocalUpdate(model.version(), ParamVector.adoptSparse(
                    subtractWithin(r.phi(), theta, r.support()), r.support()), ratings.size(), r.lossBefore(),
                    r.lossAfter());
            // Scoring uses the global shared parameters with this user's private z: φ only served the update.
            global = theta;
            globalArray = null;
            adapted = null;
            userParams = r.z();
            LOG.debug("User {} reconstructed and trained on global model v{} with {} ratings: loss {} -> {} ({} µs)",
                    user.id(), model.version(), ratings.size(), r.lossBefore(), r.lossAfter(),
                    (System.nanoTime() - start) / 1000);
            return update;
        }
        LocalLearner learner = LocalLearners.of(config.algorithmFor(layout), runtime, layout);
        LocalLearner.Result result = learner.train(theta, scorer.encoder().encode(ratings), config);
        LocalUpdate update = LocalUpdate.adopt(model.version(), difference(result.phi(), theta), ratings.size(),
                result.lossBefore(), result.lossAfter());
        global = theta;
        globalArray = null;
        adapted = result.personalized();
        LOG.debug("User {} trained global model v{} ({}) on {} ratings in {} steps: loss {} -> {} ({} µs)", user.id(),
                model.version(), config.algorithmFor(layout).wireName(), ratings.size(), config.steps(),
                result.lossBefore(), result.lossAfter(), (System.nanoTime() - start) / 1000);
        return update;
    }

    /**
     * Adapts {@code model} to each of several users' ratings at once, as {@link #adapt} would one after another,
     * in one batched ONNX Runtime call per number of steps (the simulator's workers, or a device with several
     * users): a collaborative layout only. Each client's plan is the one {@code adapt} follows, so each outcome
     * is that client's {@code adapt} result up to float rounding in the graphs, and each client keeps the z
     * {@code adapt} keeps. A client whose adaptation fails (no ratings, divergence, a singular ridge system) fails
     * alone: its outcome holds the {@link IllegalStateException} {@code adapt} would have thrown, and its models in
     * use stay as they were.
     *
     * @param configs one per client, in the same order
     * @return one outcome per client, in the same order
     * @throws IllegalArgumentException when a client, the model or the runtime does not follow the same
     *                                  collaborative layout, or the lists differ in length
     */
    public static List<AdaptationOutcome> adaptTogether(List<MetafedClient> clients, GlobalModel model,
            List<AdaptationConfig> configs, OrtBatchedCollabRuntime runtime) {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(configs, "configs");
        Objects.requireNonNull(runtime, "runtime");
        return CollabGroup.adapt(clients, model, configs, runtime);
    }

    /** This client's member of a batched adaptation: its ratings encoded and its plan (see {@link CollabGroup}). */
    synchronized CollabGroup.Entry batchEntry(GlobalModel model, AdaptationConfig config, ParamLayout runtimeLayout) {
        requireOpen();
        if (collab == null || layout.id() != runtimeLayout.id()) {
            throw new IllegalArgumentException("adaptTogether needs clients of the runtime's collaborative layout "
                    + runtimeLayout + ", found user " + user.id() + " with " + layout);
        }
        model.requireLayout(layout);
        List<Interaction> ratings = CollabGroup.requireRatings(store.snapshot(), user.id());
        return new CollabGroup.Entry(collab, ratings.size(), collab.member(ratings, config));
    }

    /** After a batched adaptation: scores with θ and this user's z, as {@link #adapt} leaves the client. */
    synchronized void installUser(GlobalModel model, float[] z) {
        requireOpen();
        global = model.vector();
        globalArray = null;
        adapted = null;
        userParams = z;
    }

    /**
     * Adapts {@code model} to this user's ratings for scoring only, the way {@code config}'s algorithm
     * personalizes (SGD steps; Meta-SGD: steps with its learned rates; the collaborative model: the user's
     * reconstruction), and keeps the result; nothing is returned for the coordinator. On failure the models in use
     * stay as they were.
     *
     * @throws IllegalArgumentException when the model does not follow the client's layout or the algorithm does
     *                                  not fit it
     * @throws IllegalStateException    when there are no ratings yet, or adaptation diverged
     */
    public synchronized void personalize(GlobalModel model, AdaptationConfig config) {
        requireOpen();
        Objects.requireNonNull(config, "config");
        model.requireLayout(layout);
        List<Interaction> ratings = store.snapshot();
        if (ratings.isEmpty()) {
            throw new IllegalStateException("no local ratings to adapt on: user " + user.id() + " has recorded none");
        }
        if (collab != null) {
            // The reconstruction reads θ as an array, and scoring with this user will read the same one.
            float[] theta = model.params();
            float[] z = collab.user(theta, ratings);
            global = model.vector();
            globalArray = theta;
            adapted = null;
            userParams = z;
            return;
        }
        float[] personalized = LocalLearners.of(config.algorithmFor(layout), runtime, layout)
                .personalize(model.vector(), scorer.encoder().encode(ratings), config);
        global = model.vector();
        globalArray = null;
        adapted = personalized;
    }

    /**
     * The {@code k} best of {@code candidates} by predicted rating, best first, ties by lower item id; all of
     * them when {@code k} exceeds their number. Nothing is excluded implicitly: items the user already rated
     * are ranked like any other, so apps pass only the candidates they want ranked.
     *
     * @throws IllegalArgumentException for an unknown or repeated candidate, or {@code k < 1}
     * @throws IllegalStateException    before any model was adapted or installed
     */
    public synchronized List<Recommendation> recommend(int k, int[] candidates) {
        requireOpen();
        if (collab != null) {
            return CandidateScorer.rank(k, candidates, this::scores);
        }
        return scorer.topK(inferenceParams(), k, candidates);
    }

    /**
     * Predicted ratings of {@code items} by this user, clamped to the rating scale (a 5.3 is shown as a 5): with φ
     * when adapted, else with the global model (for the collaborative model: the global shared parameters and this
     * user's private ones). {@link #recommend} ranks by the unclamped scores, so items above the top of the scale
     * keep their order.
     */
    public synchronized float[] predict(int[] items) {
        float[] scores = scores(items);
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) scale.clamp(scores[i]);
        }
        return scores;
    }

    /** The model's raw scores of {@code items}, what rankings order by. */
    private float[] scores(int[] items) {
        requireOpen();
        if (collab != null) {
            float[] theta = inferenceParams();
            for (int item : items) {
                requireItem(item);
            }
            return collab.score(theta, userParams, items);
        }
        return scorer.score(inferenceParams(), items);
    }

    private void requireItem(int item) {
        if (collab != null) {
            collab.encoder().requireItem(item);
        } else {
            scorer.requireItem(item);
        }
    }

    /**
     * φ − θ written over φ within {@code support} (the same values as {@link #difference} there; outside it φ = θ,
     * whose difference +0 {@link ParamVector#adoptSparse} writes); returns φ.
     */
    private static float[] subtractWithin(float[] phi, ParamVector theta, Support support) {
        for (int r = 0; r < support.ranges(); r++) {
            for (int i = support.start(r); i < support.end(r); i++) {
                phi[i] = phi[i] - theta.get(i);
            }
        }
        return phi;
    }

    /** Δ = φ − θ into a new array, which the update adopts. */
    private static float[] difference(float[] phi, ParamVector theta) {
        float[] delta = new float[theta.size()];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = phi[i] - theta.get(i);
        }
        return delta;
    }

    /**
     * φ, or the global model's own parameters (without Meta-SGD's inner learning rates) as this client's array,
     * copied once per model: runtimes read arrays and never write the parameters they score with.
     */
    private float[] inferenceParams() {
        if (adapted != null) {
            return adapted;
        }
        if (global == null) {
            throw new IllegalStateException("no model to score with: call adapt(...) or useGlobalModel(...) first");
        }
        if (globalArray == null) {
            globalArray = layout.hasInnerRates() ? global.toArray(0, layout.modelSize()) : global.toArray();
        }
        return globalArray;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("MetafedClient of user " + user.id() + " is closed");
        }
    }

    /**
     * Erases this user's data from the device as far as the client holds it (right to erasure): the adapted
     * parameters and the client's own array of the global ones are overwritten (the global model's vector is
     * read-only, possibly shared, and the same for every device, so it is only dropped), the client is closed and
     * its interaction store file is deleted. What a transport keeps (cached model, device keys) is deleted by
     * {@link io.metafed.sdk.transport.FederatedParticipant#deleteAllData()}, which calls this. Works on a closed
     * client too; idempotent.
     *
     * @throws UncheckedIOException when the store file could not be deleted
     */
    public synchronized void deleteAllData() {
        if (globalArray != null) {
            Arrays.fill(globalArray, 0f);
        }
        if (adapted != null) {
            Arrays.fill(adapted, 0f);
        }
        close();
        try {
            Files.deleteIfExists(storePath);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the interaction store " + storePath, e);
        }
        LOG.info("Deleted the local data of user {} ({})", user.id(), storePath);
    }

    /** Closes the store and the client's own runtime; a supplied runtime stays open for its owner. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        global = null;
        globalArray = null;
        adapted = null;
        userParams = null;
        try {
            store.close();
        } finally {
            if (ownedRuntime != null) {
                ownedRuntime.close();
            }
            if (ownedCollabRuntime != null) {
                try {
                    ownedCollabRuntime.close();
                } catch (Exception e) {
                    LOG.warn("Closing the ONNX Runtime sessions of user {} failed: {}", user.id(), e.toString());
                }
            }
        }
    }

    /** Collects and validates what a client needs; {@link #build()} opens the store and the runtime. */
    public static final class Builder {
        private Path storePath;
        private UserProfile user;
        private Profiles catalog;
        private ParamLayout layout;
        private ModelRuntime runtime;
        private CollabRuntime collabRuntime;
        private Clock clock = Clock.systemUTC();
        private int intraOpThreads = OrtModelRuntime.DEFAULT_INTRA_OP_THREADS;
        private RatingScale scale = RatingScale.ANY_1_TO_5;

        private Builder() {
        }

        /** The scale ratings are on, which recording and the store enforce; any value from 1 to 5 by default. */
        public Builder ratingScale(RatingScale scale) {
            this.scale = Objects.requireNonNull(scale, "scale");
            return this;
        }

        /** The user's private ratings file, created if absent. */
        public Builder storePath(Path storePath) {
            this.storePath = Objects.requireNonNull(storePath, "storePath");
            return this;
        }

        public Builder user(UserProfile user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** The items this device may rate and rank; only {@link Profiles#item} is used. */
        public Builder catalog(Profiles catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        public Builder catalog(Map<Integer, ItemProfile> items) {
            this.catalog = DeviceProfiles.catalog(Objects.requireNonNull(items, "items"));
            return this;
        }

        public Builder layout(ParamLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * A runtime owned by the caller, e.g. one per simulator worker thread shared by many clients: the client
         * never closes it. Without one the client opens (and closes) its own {@link OrtModelRuntime}.
         */
        public Builder runtime(ModelRuntime runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            return this;
        }

        /**
         * For a collaborative-model layout: a runtime owned by the caller (e.g. one per simulator worker). Without
         * one the client opens (and closes) its own ONNX Runtime sessions ({@link OrtCollabRuntime}).
         */
        public Builder collabRuntime(CollabRuntime collabRuntime) {
            this.collabRuntime = Objects.requireNonNull(collabRuntime, "collabRuntime");
            return this;
        }

        /** Source of rating timestamps; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Intra-op threads of the client's own runtime (default 1); ignored with a supplied runtime. */
        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = Checks.positive(intraOpThreads, "intraOpThreads");
            return this;
        }

        public MetafedClient build() {
            require(storePath, "storePath");
            require(user, "user");
            require(catalog, "catalog");
            require(layout, "layout");
            if (layout.spec() instanceof CollabConfig config) {
                return buildCollab(config);
            }
            // The runtime computes the model; Meta-SGD's inner learning rates in θ are the learner's business.
            ParamLayout model = layout.model();
            if (runtime != null && runtime.layout().id() != model.id()) {
                throw new IllegalArgumentException("runtime layout id must be " + MetafedGraphs.hex(model.id())
                        + " (the client's layout), found " + MetafedGraphs.hex(runtime.layout().id()));
            }
            FeatureSchema schema = layout.config().schema();
            FeatureEncoder features = new FeatureEncoder(schema);
            if (schema.has("occupation") && user.occupation() != UserProfile.UNKNOWN_OCCUPATION) {
                Checks.inRange(user.occupation(), 0, schema.fields().get(schema.indexOf("occupation")).size() - 1,
                        "occupation of user " + user.id());
            }
            InteractionStore store = InteractionStore.open(storePath, user.id(), scale);
            OrtModelRuntime own = null;
            try {
                own = runtime == null ? new OrtModelRuntime(model, intraOpThreads) : null;
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            ModelRuntime used = own != null ? own : runtime;
            CandidateScorer scorer = new CandidateScorer(used, new DeviceProfiles(user, catalog), features, user.id());
            LOG.debug("Opened client of user {} with {} stored ratings, {}", user.id(), store.size(), layout);
            return new MetafedClient(this, store, used, own, scorer, null, null);
        }

        private MetafedClient buildCollab(CollabConfig config) {
            OrtCollabRuntime own = collabRuntime == null ? new OrtCollabRuntime(layout, intraOpThreads) : null;
            CollabRuntime used = own != null ? own : collabRuntime;
            if (used.layout().id() != layout.id()) {
                throw new IllegalArgumentException("collab runtime layout id must be " + MetafedGraphs.hex(layout.id())
                        + " (the client's layout), found " + MetafedGraphs.hex(used.layout().id()));
            }
            CollabEncoder encoder = new CollabEncoder(config, new DeviceProfiles(user, catalog));
            InteractionStore store;
            try {
                store = InteractionStore.open(storePath, user.id(), scale);
            } catch (RuntimeException e) {
                if (own != null) {
                    own.close();
                }
                throw e;
            }
            LOG.debug("Opened client of user {} with {} stored ratings, {}", user.id(), store.size(), layout);
            return new MetafedClient(this, store, null, null, null, new CollabDevice(used, encoder), own);
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalStateException(name + " is required: call " + name + "(...) before build()");
            }
        }
    }
}
