package io.metafed.simulation.federation;

import java.util.SplittableRandom;

/**
 * When a selected device's update reaches the coordinator, in virtual seconds after the round opened: download,
 * local training and upload of a phone, which the simulator does not spend in wall-clock time. A pure function of
 * (run seed, round id, user) — never of the wall clock or of the device's update — so a run replays bit for bit
 * and a device known to arrive too late need not be adapted at all.
 */
@FunctionalInterface
public interface DeviceLatency {

    /** Virtual seconds (≥ 0, finite) from round {@code roundId}'s opening to {@code user}'s update arriving. */
    double seconds(long seed, int roundId, int user);

    /**
     * Log-normal latency with a straggler tail: {@code median · exp(σ·N(0,1))}, and for a fraction
     * {@code stragglerFraction} of the devices in each round (drawn independently per round: a phone is slow in a
     * round because it is busy, on a bad network or charging, not forever) {@code slowdown} times that. Production
     * round times look like this: a log-normal body and a long tail (Bonawitz et al. 2019, "Towards Federated
     * Learning at Scale", fig. 7; Lai et al. 2022, FedScale's device traces).
     */
    record LogNormal(double medianSeconds, double sigma, double stragglerFraction, double slowdown)
            implements DeviceLatency {
        /** Mixes the streams of this model apart from the minibatch seeds, which derive from the same triple. */
        private static final long SALT = 0x6C8E9CF570932BD5L;

        public LogNormal {
            if (!(medianSeconds > 0) || Double.isInfinite(medianSeconds)) {
                throw new IllegalArgumentException("device latency median must be positive and finite (seconds), found "
                        + medianSeconds);
            }
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("device latency sigma must be >= 0 and finite, found " + sigma);
            }
            if (!(stragglerFraction >= 0 && stragglerFraction <= 1)) {
                throw new IllegalArgumentException("straggler fraction must be in [0, 1], found " + stragglerFraction);
            }
            if (!(slowdown >= 1) || Double.isInfinite(slowdown)) {
                throw new IllegalArgumentException("straggler slowdown must be >= 1 and finite, found " + slowdown);
            }
        }

        /**
         * Parses {@code MEDIAN,SIGMA,FRACTION,SLOWDOWN} (e.g. {@code 10,0.5,0.1,10}); the last two may be left out
         * (no stragglers beyond the log-normal's own tail).
         */
        public static LogNormal parse(String text) {
            String[] parts = text.split(",", -1);
            if (parts.length != 2 && parts.length != 4) {
                throw new IllegalArgumentException("--device-latency must be MEDIAN,SIGMA[,FRACTION,SLOWDOWN] (e.g."
                        + " 10,0.5,0.1,10), found '" + text + "'");
            }
            double[] v = new double[4];
            v[3] = 1;
            for (int i = 0; i < parts.length; i++) {
                try {
                    v[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--device-latency must be numbers MEDIAN,SIGMA[,FRACTION,SLOWDOWN],"
                            + " found '" + parts[i] + "' in '" + text + "'", e);
                }
            }
            return new LogNormal(v[0], v[1], v[2], v[3]);
        }

        @Override
        public double seconds(long seed, int roundId, int user) {
            SplittableRandom random = new SplittableRandom(mix(mix(mix(SALT, seed), roundId), user));
            boolean straggler = random.nextDouble() < stragglerFraction;
            // Box–Muller, written out so the draw depends on this code alone, not on a JDK's nextGaussian.
            double u1 = 1.0 - random.nextDouble(); // (0, 1]: log stays finite
            double u2 = random.nextDouble();
            double normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            double body = medianSeconds * Math.exp(sigma * normal);
            return straggler ? body * slowdown : body;
        }

        @Override
        public String toString() {
            return "log-normal median " + plain(medianSeconds) + "s σ " + plain(sigma) + ", stragglers "
                    + plain(stragglerFraction) + " × " + plain(slowdown);
        }

        /** {@code d} without trailing zeros: 10, 0.5. */
        static String plain(double d) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }

        private static long mix(long h, long v) {
            long x = (h ^ v) * 0x9E3779B97F4A7C15L;
            return x ^ (x >>> 31);
        }
    }
}
