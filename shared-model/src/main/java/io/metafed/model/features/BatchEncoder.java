package io.metafed.model.features;

import io.metafed.model.data.Interaction;
import io.metafed.model.data.Profiles;
import io.metafed.model.data.UserProfile;
import io.metafed.model.nn.Batch;
import java.util.List;

/** Builds model inputs from interactions or candidate items, looking side information up in {@link Profiles}. */
public final class BatchEncoder {
    private final FeatureEncoder encoder;
    private final Profiles profiles;

    public BatchEncoder(FeatureEncoder encoder, Profiles profiles) {
        this.encoder = encoder;
        this.profiles = profiles;
    }

    public int width() {
        return encoder.width();
    }

    /** A unit-weight training batch of the given interactions (non-empty). */
    public Batch encode(List<Interaction> interactions) {
        int n = interactions.size();
        if (n == 0) {
            throw new IllegalArgumentException("interactions must not be empty");
        }
        float[] x = new float[n * encoder.width()];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            Interaction in = interactions.get(r);
            encoder.encode(profiles.user(in.user()), profiles.item(in.item()), x, r);
            y[r] = in.rating();
        }
        return Batch.unweighted(x, y, encoder.width());
    }

    /** Feature rows of (user, item) for every candidate item, for scoring. */
    public float[] encodeCandidates(int user, int[] items) {
        UserProfile profile = profiles.user(user);
        float[] x = new float[items.length * encoder.width()];
        for (int r = 0; r < items.length; r++) {
            encoder.encode(profile, profiles.item(items[r]), x, r);
        }
        return x;
    }
}
