package io.metafed.model.data;

import io.metafed.model.Checks;
import java.util.Locale;

/**
 * The scale a dataset's ratings are on: {@code min..max}, in steps of {@code step} from {@code min} (0 means any
 * value in the range). It travels with the {@link Dataset} into baselines (clamping), metrics (what counts as a
 * relevant rating) and the SDK (which ratings a device accepts).
 */
public record RatingScale(float min, float max, float step) {
    /** Whole stars 1–5: MovieLens 100K and 1M. */
    public static final RatingScale ONE_TO_FIVE = new RatingScale(1f, 5f, 1f);
    /** Half stars 0.5–5: MovieLens 10M, 20M, 25M, 32M and latest. */
    public static final RatingScale HALF_STARS = new RatingScale(0.5f, 5f, 0.5f);
    /** Any value from 1 to 5: what the SDK accepts unless told the dataset's scale. */
    public static final RatingScale ANY_1_TO_5 = new RatingScale(1f, 5f, 0f);

    public RatingScale {
        Checks.finite(min, "min");
        Checks.finite(max, "max");
        if (!(max > min)) {
            throw new IllegalArgumentException("rating scale max must be > min, found min " + min + ", max " + max);
        }
        Checks.inRange(step, 0, max - min, "step");
        if (step > 0 && Math.abs(Math.round((max - min) / step) * step - (max - min)) > 1e-4) {
            throw new IllegalArgumentException("rating scale step must divide max - min, found step " + step
                    + " for " + min + ".." + max);
        }
    }

    /**
     * Parses {@code MIN:MAX} or {@code MIN:MAX:STEP}, e.g. {@code 1:10} or {@code 0.5:5:0.5}.
     */
    public static RatingScale parse(String text) {
        String[] f = text.split(":", -1);
        if (f.length != 2 && f.length != 3) {
            throw new IllegalArgumentException("rating scale must look like MIN:MAX or MIN:MAX:STEP, found '" + text
                    + "'");
        }
        try {
            return new RatingScale(Float.parseFloat(f[0]), Float.parseFloat(f[1]),
                    f.length == 3 ? Float.parseFloat(f[2]) : 0f);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rating scale must look like MIN:MAX or MIN:MAX:STEP with numbers, "
                    + "found '" + text + "'", e);
        }
    }

    /**
     * The scale implied by observed ratings: their range, in whole steps when all are integers, half steps when
     * all are multiples of 0.5 (and the minimum is), else continuous.
     */
    public static RatingScale inferred(float observedMin, float observedMax, boolean allWhole, boolean allHalves) {
        float max = observedMax > observedMin ? observedMax : observedMin + 1;
        if (allWhole) {
            return new RatingScale(observedMin, max, 1f);
        }
        if (allHalves) {
            return new RatingScale(observedMin, max, 0.5f);
        }
        return new RatingScale(observedMin, max, 0f);
    }

    /** True when {@code rating} is on the scale: in range and, with a step, on the grid. */
    public boolean contains(float rating) {
        if (!(rating >= min - 1e-6f && rating <= max + 1e-6f)) {
            return false;
        }
        if (step == 0) {
            return true;
        }
        double steps = (rating - min) / step;
        return Math.abs(steps - Math.rint(steps)) < 1e-4;
    }

    /** {@code value} limited to {@code [min, max]}. */
    public double clamp(double value) {
        return Math.max(min, Math.min(max, value));
    }

    /**
     * The rating from which an item counts as relevant (Hit@k): three quarters up the scale, on the grid — 4 on
     * 1–5, 4 on 0.5–5 (half stars), 8 on 1–10.
     */
    public double relevanceThreshold() {
        double t = min + 0.75 * (max - min);
        if (step > 0) {
            t = min + Math.rint((t - min) / step) * step;
        }
        return t;
    }

    /** Why a rating is not on the scale, as an error message. */
    public String refusal(float rating) {
        return "rating must be on the scale " + describe() + ", found " + fmt(rating);
    }

    /** E.g. {@code 0.5–5 in steps of 0.5}, {@code 1–10}. */
    public String describe() {
        return fmt(min) + "–" + fmt(max) + (step > 0 ? " in steps of " + fmt(step) : "");
    }

    private static String fmt(float v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
