package io.metafed.model;

import java.util.SplittableRandom;

/** Helpers for explicitly seeded randomness (simulation and training are replayable from their seeds). */
public final class Randoms {
    private Randoms() {
    }

    /** Standard normal draw by Box–Muller: {@link SplittableRandom} has no nextGaussian on Java 17. */
    public static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** In-place Fisher–Yates shuffle. */
    public static <T> void shuffle(java.util.List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }
}
