package io.metafed.coordinator.round;

import io.metafed.model.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

/**
 * Uniform client sampling without replacement, replayable from (seed, round) for simulations and tests; servers
 * sample through {@link ParticipantSampler#secure()}. Candidates are sorted first so
 * the result does not depend on check-in order or hash iteration order.
 */
public final class ClientSampler {
    private ClientSampler() {
    }

    /**
     * {@code min(count, distinct candidates)} clients, in draw order, by a partial Fisher–Yates shuffle of the
     * sorted candidates driven by {@link #random(long, int)}.
     */
    public static List<String> sample(Collection<String> candidates, int count, long seed, int round) {
        return sample(candidates, count, random(seed, round)::nextInt);
    }

    /**
     * The same partial Fisher–Yates shuffle of the sorted candidates, drawing indexes from {@code nextInt}
     * (uniform in [0, bound)): a seeded generator for simulations, {@link java.security.SecureRandom} for servers.
     */
    static List<String> sample(Collection<String> candidates, int count, IntUnaryOperator nextInt) {
        Checks.nonNegative(count, "count");
        List<String> pool = new ArrayList<>(new TreeSet<>(candidates));
        int take = Math.min(count, pool.size());
        for (int i = 0; i < take; i++) {
            int j = i + nextInt.applyAsInt(pool.size() - i);
            String tmp = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, tmp);
        }
        return List.copyOf(pool.subList(0, take));
    }

    /**
     * The generator of round {@code round}. Seeding with {@code seed + round} would make round r's stream round
     * 0's shifted by r steps (SplittableRandom advances its seed additively), so the round is hashed first.
     */
    static SplittableRandom random(long seed, int round) {
        return new SplittableRandom(mix(seed + mix(round)));
    }

    /** MurmurHash3's 64-bit finalizer: a bijection that spreads every input bit over the output. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
