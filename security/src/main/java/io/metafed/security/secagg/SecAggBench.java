package io.metafed.security.secagg;

import java.util.Arrays;
import java.util.Locale;

/**
 * Cost of one secure-aggregation round, all parties in one JVM thread (the simulation's clock).
 * Dropouts happen after round 1 (clients that shared keys but send no masked input), the case
 * whose recovery costs the server |dropped|·|survivors| mask expansions, as in Bonawitz et al.
 *
 * <p>Usage: {@code SecAggBench [dimension] [n...]}, default d = 100,000 and n = 100 500.
 */
public final class SecAggBench {
    private static final double[] DROPOUTS = {0.0, 0.1, 0.3};

    private SecAggBench() {}

    public static void main(String[] args) {
        int d = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int[] ns = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {100, 500};
        warmUp();
        System.out.printf(Locale.ROOT, "d = %,d words, threshold t = floor(n/2)+1, dropouts after sharing keys%n", d);
        System.out.println("|   n | dropout | client ms/client | server s | up KB/client | down KB/client | sum ok |");
        System.out.println("|----:|--------:|-----------------:|---------:|-------------:|---------------:|:------:|");
        for (int n : ns) {
            for (double dropout : DROPOUTS) {
                Round row = round(n, d, dropout);
                System.out.printf(Locale.ROOT, "| %3d | %6.0f%% | %16.1f | %8.2f | %12.1f | %14.1f | %6s |%n",
                        n, dropout * 100, row.result().clientMillisPerClient(), row.result().serverMillis() / 1000,
                        row.result().bytesUpPerClient() / 1024, row.result().bytesDownPerClient() / 1024,
                        row.correct());
            }
        }
    }

    /** One measured round and whether its sum was the expected one. */
    public record Round(SecAggResult result, boolean correct) {}

    /** Two unreported rounds so that C2 has compiled AES-CTR, X25519 and BigInteger before measuring. */
    public static void warmUp() {
        round(100, 20_000, 0.1);
        round(100, 20_000, 0.1);
    }

    /**
     * One round of {@code n} clients with {@code d}-word inputs, a {@code dropout} share of them vanishing after
     * sharing keys, clients in parallel on the common pool (the server is one thread); also used by
     * {@code ./metafed bench}.
     */
    public static Round round(int n, int d, double dropout) {
        int[][] inputs = new int[n][d];
        for (int k = 0; k < n; k++) {
            Arrays.fill(inputs[k], k + 1); // content does not affect cost; a known sum checks correctness
        }
        SecAggConfig config = SecAggConfig.majority(n, d, System.nanoTime());
        SecAggResult result = new SecAggSimulation(config, id -> new java.security.SecureRandom(), true)
                .run(inputs, DropoutPlan.spread(n, dropout, SecAggStage.MASKED_INPUT));
        int expected = result.includedClients().stream().mapToInt(Integer::intValue).sum();
        int[] sum = result.sum();
        boolean correct = sum != null && Arrays.stream(sum).allMatch(v -> v == expected);
        return new Round(result, correct);
    }
}
