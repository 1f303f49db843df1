package io.metafed.security.dp;

import java.util.ArrayList;
import java.util.List;

/**
 * Rényi-DP accountant of the Poisson-subsampled Gaussian mechanism: each step includes every record (here:
 * every user) independently with probability q and adds N(0, z²Δ₂²) noise to the sum of their contributions,
 * which are clipped to L2 norm Δ₂. Pure functions of their arguments; no state, no logging.
 *
 * <p>One step's RDP at order α is ε(α) = log A_α / (α − 1), with A_α from Mironov, Talwar and Zhang (2019),
 * "Rényi Differential Privacy of the Sampled Gaussian Mechanism", §3.3: a finite binomial sum for integer α and
 * the two-sided series with erfc terms for fractional α. Both are evaluated in log space. T steps compose
 * additively: T·ε(α). Conversion to (ε, δ) takes the best order; see {@link Conversion}.
 */
public final class RdpAccountant {

    /** The orders of TensorFlow Privacy's and dp_accounting's {@code DEFAULT_RDP_ORDERS}. */
    public static final List<Double> DEFAULT_ORDERS = defaultOrders();

    /** RDP → (ε, δ) conversions. */
    public enum Conversion {
        /** ε = rdp + log(1/δ)/(α−1) (Mironov 2017, Proposition 3); TF Privacy before 2020 and its tutorials. */
        CLASSIC,
        /**
         * ε = rdp + log((α−1)/α) − (log δ + log α)/(α−1) (Balle, Barthe, Gaboardi, Hsu and Sato 2020, "Hypothesis
         * Testing Interpretations and Rényi DP", Theorem 21; as in current dp_accounting). Never larger than
         * CLASSIC for α > 1, so it is the default. Also ε = 0 when δ ≥ √(1 − e^(−rdp)) (Canonne, Kamath and
         * Steinke 2020, Proposition 12, via KL ≤ rdp).
         */
        BALLE_2020
    }

    private final double[] orders;

    public RdpAccountant() {
        this(DEFAULT_ORDERS);
    }

    /** An accountant over {@code orders}, each finite and > 1. */
    public RdpAccountant(List<Double> orders) {
        DpPreconditions.notNull(orders, "orders");
        if (orders.isEmpty()) {
            throw new IllegalArgumentException("orders must not be empty");
        }
        this.orders = new double[orders.size()];
        for (int i = 0; i < this.orders.length; i++) {
            double a = orders.get(i);
            if (!(a > 1) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("orders[" + i + "] must be finite and > 1, found " + a);
            }
            this.orders[i] = a;
        }
    }

    public List<Double> orders() {
        List<Double> list = new ArrayList<>(orders.length);
        for (double a : orders) {
            list.add(a);
        }
        return List.copyOf(list);
    }

    /** RDP of {@code steps} steps at every order of this accountant, in the order of {@link #orders()}. */
    public double[] rdp(double samplingRate, double noiseMultiplier, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, found " + steps);
        }
        double[] rdp = new double[orders.length];
        for (int i = 0; i < orders.length; i++) {
            double one = SampledGaussian.rdp(samplingRate, noiseMultiplier, orders[i]);
            rdp[i] = steps == 0 ? 0 : one * steps;
        }
        return rdp;
    }

    /** The smallest ε over this accountant's orders for the accumulated {@code rdp} and {@code delta}. */
    public PrivacyLoss epsilon(double[] rdp, double delta, Conversion conversion) {
        DpPreconditions.notNull(rdp, "rdp");
        DpPreconditions.notNull(conversion, "conversion");
        DpPreconditions.openUnit(delta, "delta");
        if (rdp.length != orders.length) {
            throw new IllegalArgumentException("rdp must have one value per order (" + orders.length + "), found "
                    + rdp.length);
        }
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = Double.NaN;
        for (int i = 0; i < orders.length; i++) {
            double eps = convert(orders[i], rdp[i], delta, conversion);
            if (eps < best) {
                best = eps;
                bestOrder = orders[i];
            }
        }
        return new PrivacyLoss(Math.max(0, best), delta, bestOrder);
    }

    /** (ε, δ) after {@code steps} steps of the sampled Gaussian mechanism, with the {@link Conversion#BALLE_2020} conversion. */
    public PrivacyLoss epsilon(double samplingRate, double noiseMultiplier, long steps, double delta) {
        return epsilon(rdp(samplingRate, noiseMultiplier, steps), delta, Conversion.BALLE_2020);
    }

    private static double convert(double alpha, double rdp, double delta, Conversion conversion) {
        if (!(rdp >= 0)) {
            throw new IllegalArgumentException("rdp must be >= 0, found " + rdp + " at order " + alpha);
        }
        if (rdp == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        double logDelta = Math.log(delta);
        return switch (conversion) {
            case CLASSIC -> rdp - logDelta / (alpha - 1);
            case BALLE_2020 -> delta * delta + Math.expm1(-rdp) >= 0 ? 0
                    : rdp + Math.log1p(-1 / alpha) - (logDelta + Math.log(alpha)) / (alpha - 1);
        };
    }

    private static List<Double> defaultOrders() {
        List<Double> list = new ArrayList<>(List.of(1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0, 4.5));
        for (int a = 5; a < 64; a++) {
            list.add((double) a);
        }
        list.addAll(List.of(128.0, 256.0, 512.0));
        return List.copyOf(list);
    }
}
