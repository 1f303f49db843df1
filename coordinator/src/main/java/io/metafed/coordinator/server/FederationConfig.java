package io.metafed.coordinator.server;

import io.metafed.coordinator.CoordinatorConfig;
import io.metafed.coordinator.aggregate.AggregationRule;
import io.metafed.coordinator.aggregate.PrivacySettings;
import io.metafed.coordinator.aggregate.AggregationRules;
import io.metafed.coordinator.aggregate.EpsilonSchedule;
import io.metafed.coordinator.model.CheckpointRetention;
import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.coordinator.round.ContributionBounds;
import io.metafed.coordinator.round.ParticipantSampler;
import io.metafed.coordinator.round.RoundConfig;
import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.model.nn.ParamLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * What the served federation learns ({@link #model()}: the layout and how θ₀ is made) and how its rounds run. The
 * constructors without a model serve MeLU on the standard schema with MovieLens vocabularies ({@value #OCCUPATIONS}
 * occupations, {@value #GENRES} genres), the one model that needs no catalogue; {@code CoordinatorMain} serves the
 * collaborative model by default ({@code --model collab --catalog FILE}).
 *
 * @param minClients enrolled clients needed before a round opens (≥ minUpdates, so a round can succeed)
 * @param roundDuration how long a round collects updates before it closes
 * @param roundPause wait between closing one round and opening the next
 * @param metaLr Reptile's ε: θ ← θ + ε·Δ̄
 * @param seed the initial parameters (θ₀); servers sample clients with SecureRandom, never from a seed
 * @param secureAggregation how rounds are securely aggregated; null for plain rounds (individual updates)
 * @param privacy differential privacy of the released models (docs/PRIVACY.md); null for none
 * @param bounds how far one update can move the model (docs/SECURITY.md); null for
 *     {@link ContributionBounds#defaults()}. Secure rounds bound with what devices encode instead (the task's clip
 *     norm and weight cap), differentially private ones with the DP clip norm.
 * @param retention which old checkpoints the data directory keeps; null for {@link CheckpointRetention#DEFAULT}
 * @param model what is served: its layout and θ₀; null for {@link ServedModel#melu MeLU} on the standard schema
 * @param algorithm the registry's algorithm the rounds run and its settings; null for the served model's default
 *     ({@link FederatedAlgorithm#defaultFor}: FedRecon for the collaborative model, FedReptile for MeLU). Meta-SGD
 *     serves the model's layout with its inner learning rates appended ({@link #layout()}).
 */
public record FederationConfig(int clientsPerRound, int minUpdates, double overSelection, int minClients,
        Duration roundDuration, Duration roundPause, int innerSteps, double innerLr, int batchSize, double metaLr,
        long seed, SecAggSettings secureAggregation, PrivacySettings privacy, ContributionBounds bounds,
        CheckpointRetention retention, ServedModel model, AlgorithmSettings algorithm) {
    public static final int OCCUPATIONS = 21;
    public static final int GENRES = 19;
    /** Output bias of the initial model: MovieLens-100K's mean rating, so θ₀ predicts the global mean. */
    public static final float INITIAL_MEAN_RATING = ServedModel.DEFAULT_MEAN_RATING;

    public FederationConfig {
        model = model == null ? ServedModel.melu(OCCUPATIONS, GENRES) : model;
        bounds = bounds == null ? ContributionBounds.defaults() : bounds;
        retention = retention == null ? CheckpointRetention.DEFAULT : retention;
        Objects.requireNonNull(roundDuration, "roundDuration");
        Objects.requireNonNull(roundPause, "roundPause");
        // RoundConfig and LocalTraining validate their own fields with messages naming them.
        new RoundConfig(clientsPerRound, minUpdates, overSelection, seed);
        // Left null rather than resolved here: withModel(...) must change the default along with the model.
        AlgorithmSettings settings = settings(model, algorithm);
        training(settings, innerSteps, innerLr, batchSize).algorithm().requireFits(servedLayout(model, settings));
        if (minClients < minUpdates) {
            throw new IllegalArgumentException("minClients must be >= minUpdates (" + minUpdates + "), found "
                    + minClients);
        }
        if (roundDuration.toMillis() < 1) {
            throw new IllegalArgumentException("roundDuration must be at least 1 ms, found " + roundDuration);
        }
        if (roundPause.isNegative()) {
            throw new IllegalArgumentException("roundPause must be >= 0, found " + roundPause);
        }
        if (secureAggregation != null && minUpdates < 2) {
            // A secure sum of one client is that client's update: nothing would be hidden.
            throw new IllegalArgumentException("secure aggregation needs minUpdates >= 2, found " + minUpdates);
        }
        if (!(metaLr > 0) || Double.isInfinite(metaLr)) {
            throw new IllegalArgumentException("metaLr must be positive and finite, found " + metaLr);
        }
    }

    /** Plain rounds. */
    public FederationConfig(int clientsPerRound, int minUpdates, double overSelection, int minClients,
            Duration roundDuration, Duration roundPause, int innerSteps, double innerLr, int batchSize, double metaLr,
            long seed) {
        this(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause, innerSteps, innerLr,
                batchSize, metaLr, seed, null, null, null, null, null, null);
    }

    /** Secure aggregation and privacy as given, default contribution bounds. */
    public FederationConfig(int clientsPerRound, int minUpdates, double overSelection, int minClients,
            Duration roundDuration, Duration roundPause, int innerSteps, double innerLr, int batchSize, double metaLr,
            long seed, SecAggSettings secureAggregation, PrivacySettings privacy) {
        this(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause, innerSteps, innerLr,
                batchSize, metaLr, seed, secureAggregation, privacy, null, null, null, null);
    }

    /** 10 clients a round (min 2 updates), rounds of 60 s, inner loop 5 × 0.05 (the simulator's, see docs/RESULTS.md), ε = 1. */
    public static FederationConfig defaults() {
        return new FederationConfig(10, 2, 1.3, 2, Duration.ofSeconds(60), Duration.ZERO, 5, 0.05, 32, 1.0, 42);
    }

    public FederationConfig withRounds(int clientsPerRound, int minUpdates, int minClients, Duration roundDuration) {
        return new FederationConfig(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, secureAggregation, privacy, bounds, retention, model, algorithm);
    }

    public FederationConfig withOverSelection(double factor) {
        return new FederationConfig(clientsPerRound, minUpdates, factor, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, secureAggregation, privacy, bounds, retention, model, algorithm);
    }

    /** This configuration with secure aggregation ({@code null}: plain rounds). */
    public FederationConfig withSecureAggregation(SecAggSettings settings) {
        return new FederationConfig(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, settings, privacy, bounds, retention, model, algorithm);
    }

    /** This configuration with differential privacy ({@code null}: none). */
    public FederationConfig withPrivacy(PrivacySettings settings) {
        return new FederationConfig(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, secureAggregation, settings, bounds, retention, model, algorithm);
    }

    /** This configuration with contribution bounds {@code newBounds} (null: the defaults). */
    public FederationConfig withBounds(ContributionBounds newBounds) {
        return new FederationConfig(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, secureAggregation, privacy, newBounds, retention, model, algorithm);
    }

    /** This configuration serving {@code newModel} (null: MeLU on the standard schema). */
    public FederationConfig withModel(ServedModel newModel) {
        return new FederationConfig(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, secureAggregation, privacy, bounds, retention, newModel, algorithm);
    }

    /** This configuration running {@code newAlgorithm} (null: the served model's default). */
    public FederationConfig withAlgorithm(AlgorithmSettings newAlgorithm) {
        return new FederationConfig(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, secureAggregation, privacy, bounds, retention, model,
                newAlgorithm);
    }

    /** This configuration keeping checkpoints as {@code newRetention} says (null: the default). */
    public FederationConfig withRetention(CheckpointRetention newRetention) {
        return new FederationConfig(clientsPerRound, minUpdates, overSelection, minClients, roundDuration, roundPause,
                innerSteps, innerLr, batchSize, metaLr, seed, secureAggregation, privacy, bounds, newRetention, model, algorithm);
    }

    /**
     * The bounds the coordinator applies. Secure rounds: the devices clip to the announced C and cap their weight at
     * the announced W, and the server checks the decoded sum against them (no median bound or robust rule: the
     * server never sees single updates). DP rounds: the DP clip norm (a median bound would break the sensitivity
     * bound); the weight cap stays, although DP counts every user with weight 1 anyway.
     */
    public ContributionBounds effectiveBounds() {
        SecAggSettings secure = secureRoundSettings();
        if (secure != null) {
            return ContributionBounds.fixed(secure.maxWeight(), secure.clipNorm()).withAction(bounds.action());
        }
        if (privacy != null && Double.isFinite(privacy.clipNorm())) {
            return ContributionBounds.fixed(bounds.maxWeight(), privacy.clipNorm()).withAction(bounds.action());
        }
        return bounds;
    }

    /**
     * What secure rounds tell devices: under DP they clip to the tighter of the two norms (below the DP norm keeps
     * the sensitivity bound) and send weight 1, which {@code DifferentiallyPrivate} checks on the decoded sum.
     */
    public SecAggSettings secureRoundSettings() {
        if (secureAggregation == null || privacy == null) {
            return secureAggregation;
        }
        return new SecAggSettings(Math.min(privacy.clipNorm(), secureAggregation.clipNorm()), 1.0,
                secureAggregation.stageTimeout(), secureAggregation.pollWait(), secureAggregation.quorumGrace(),
                secureAggregation.mode());
    }

    public boolean secure() {
        return secureAggregation != null;
    }

    public CoordinatorConfig coordinatorConfig() {
        AlgorithmSettings settings = settings(model, algorithm);
        AggregationRule rule = AggregationRules.of(settings.algorithm(),
                settings.epsilon(metaLr),
                settings.optimizer());
        // Sampling is secret and uniform (SecureRandom); the seed only makes θ₀.
        return new CoordinatorConfig(new RoundConfig(clientsPerRound, minUpdates, overSelection, seed),
                training(),
                privacy == null ? rule : privacy.wrap(rule, clientsPerRound), effectiveBounds(),
                ParticipantSampler.secure());
    }

    /**
     * What every selected device runs: the configured algorithm (by default the served model's, {@link
     * FederatedAlgorithm#defaultFor}) with this configuration's numbers; the server's rule comes from the same
     * registry ({@link AggregationRules}).
     */
    public LocalTraining training() {
        return training(settings(model, algorithm), innerSteps, innerLr, batchSize);
    }

    private static AlgorithmSettings settings(ServedModel model, AlgorithmSettings algorithm) {
        return algorithm != null ? algorithm : AlgorithmSettings.of(FederatedAlgorithm.defaultFor(model.layout()));
    }

    private static LocalTraining training(AlgorithmSettings algorithm, int innerSteps, double innerLr,
            int batchSize) {
        LocalTraining.Builder b = LocalTraining.builder(algorithm.algorithm()).steps(innerSteps).learningRate(innerLr)
                .batchSize(batchSize).epochs(algorithm.epochs());
        return (algorithm.metaStepSize() > 0 ? b.metaStepSize(algorithm.metaStepSize()) : b).build();
    }

    private static ParamLayout servedLayout(ServedModel model, AlgorithmSettings algorithm) {
        boolean rates = algorithm.algorithm() == FederatedAlgorithm.META_SGD && !model.layout().hasInnerRates();
        return rates ? model.layout().withInnerRates() : model.layout();
    }

    /** The served layout: the model's, with Meta-SGD's inner learning rates appended when it runs Meta-SGD. */
    public ParamLayout layout() {
        return servedLayout(model, settings(model, algorithm));
    }

    /** θ₀, used only when the data directory holds no checkpoint yet. */
    public float[] initialParams() {
        float[] theta = model.initialParams(seed);
        ParamLayout served = layout();
        if (served.size() == theta.length) {
            return theta;
        }
        return io.metafed.model.nn.ParamInitializer.withInnerRates(theta, served, (float) innerLr);
    }

    /**
     * θ₀ of {@code layout}, which must be this configuration's.
     *
     * @throws IllegalArgumentException for another layout
     */
    public float[] initialParams(ParamLayout layout) {
        if (layout.id() != layout().id()) {
            throw new IllegalArgumentException("this federation serves " + layout() + ", not " + layout);
        }
        return initialParams();
    }
}
