package io.metafed.security.secagg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cost of one secure-aggregation round, all parties in one JVM (the simulation's clock).
 * Dropouts happen after round 1 (clients that shared keys but send no masked input), the case
 * whose recovery costs the server |dropped|·|surviving neighbours| mask expansions, as in Bonawitz et al.
 *
 * <p>Usage: {@code SecAggBench [--mode bonawitz|plus|both] [dimension] [n...]}, default both modes, d = 100,000
 * and n = 100 500. "bonawitz" is the complete graph with t = ⌊n/2⌋ + 1; "plus" is SecAgg+ with k and t from
 * {@link SecAggPlusParameters#choose(int)} (which falls back to the complete graph for small n).
 */
public final class SecAggBench {
    private static final double[] DROPOUTS = {0.0, 0.1, 0.3};

    private SecAggBench() {}

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String mode = "both";
        if (!rest.isEmpty() && rest.get(0).equals("--mode")) {
            if (rest.size() < 2 || !List.of("bonawitz", "plus", "both").contains(rest.get(1))) {
                throw new IllegalArgumentException("--mode: must be bonawitz, plus or both, got " + rest.subList(1, rest.size()));
            }
            mode = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        int d = !rest.isEmpty() ? Integer.parseInt(rest.get(0)) : 100_000;
        int[] ns = rest.size() > 1 ? rest.subList(1, rest.size()).stream().mapToInt(Integer::parseInt).toArray()
                : new int[] {100, 500};
        warmUp();
        System.out.printf(Locale.ROOT, "d = %,d words, dropouts after sharing keys; bonawitz: k = n-1, t = floor(n/2)+1;"
                + " plus: k, t from SecAggPlusParameters (delta=%.2f, gamma=%.2f, sigma=%d, eta=%d)%n", d,
                SecAggPlusParameters.DEFAULT_DROPOUT, SecAggPlusParameters.DEFAULT_CORRUPTION,
                SecAggPlusParameters.DEFAULT_SIGMA, SecAggPlusParameters.DEFAULT_ETA);
        System.out.println("| mode     |   n |   k |   t | dropout | client ms/client | server s | up KB/client | down KB/client | sum ok |");
        System.out.println("|:---------|----:|----:|----:|--------:|-----------------:|---------:|-------------:|---------------:|:------:|");
        for (int n : ns) {
            for (String m : mode.equals("both") ? List.of("bonawitz", "plus") : List.of(mode)) {
                for (double dropout : DROPOUTS) {
                    SecAggConfig config = m.equals("plus")
                            ? SecAggPlusParameters.choose(n).config(d, System.nanoTime(), new java.security.SecureRandom().nextLong())
                            : SecAggConfig.majority(n, d, System.nanoTime());
                    Round row = round(config, dropout);
                    System.out.printf(Locale.ROOT, "| %-8s | %3d | %3d | %3d | %6.0f%% | %16.1f | %8.2f | %12.1f | %14.1f | %6s |%n",
                            m, n, config.neighbours(), config.threshold(), dropout * 100,
                            row.result().clientMillisPerClient(), row.result().serverMillis() / 1000,
                            row.result().bytesUpPerClient() / 1024, row.result().bytesDownPerClient() / 1024,
                            row.correct());
                }
            }
        }
    }

    /** One measured round and whether its sum was the expected one. */
    public record Round(SecAggResult result, boolean correct) {}

    /** Two unreported rounds so that C2 has compiled AES-CTR, X25519 and BigInteger before measuring. */
    public static void warmUp() {
        round(100, 20_000, 0.1);
        round(SecAggPlusParameters.choose(300).config(20_000, 1, 2), 0.1);
    }

    /**
     * One Bonawitz round (complete graph, t = ⌊n/2⌋ + 1) of {@code n} clients with {@code d}-word inputs; also used
     * by {@code ./metafed bench}.
     */
    public static Round round(int n, int d, double dropout) {
        return round(SecAggConfig.majority(n, d, System.nanoTime()), dropout);
    }

    /**
     * One round of {@code config}, a {@code dropout} share of the clients vanishing after sharing keys, clients in
     * parallel on the common pool (the server is one thread).
     */
    public static Round round(SecAggConfig config, double dropout) {
        int n = config.clientCount();
        int[][] inputs = new int[n][config.dimension()];
        for (int k = 0; k < n; k++) {
            Arrays.fill(inputs[k], k + 1); // content does not affect cost; a known sum checks correctness
        }
        SecAggResult result = new SecAggSimulation(config, id -> new java.security.SecureRandom(), true)
                .run(inputs, DropoutPlan.spread(n, dropout, SecAggStage.MASKED_INPUT));
        int expected = result.includedClients().stream().mapToInt(Integer::intValue).sum();
        int[] sum = result.sum();
        boolean correct = sum != null && Arrays.stream(sum).allMatch(v -> v == expected);
        return new Round(result, correct);
    }
}
