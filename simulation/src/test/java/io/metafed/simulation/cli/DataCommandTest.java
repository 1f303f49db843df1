package io.metafed.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.metafed.model.data.Interaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data} end to end on directories in the published layouts, written by {@link PublishedLayouts}. */
class DataCommandTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void onnx() {
        assumeFalse(Boolean.getBoolean("skipONNXTests"), "ONNX Runtime tests disabled by -DskipONNXTests");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private CliRun simulate(Path data, String... extra) {
        String[] base = {"simulate", "--data", data.toString(), "--rounds", "2", "--eval-every", "2", "--seeds", "1",
                "--algorithms", "FEDRECON", "--eval-steps", "0,1", "--clients", "8", "--out",
                tmp.resolve("out").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private JsonObject results() throws IOException {
        return JsonParser.parseString(Files.readString(tmp.resolve("out/results.json"))).getAsJsonObject()
                .getAsJsonObject("settings");
    }

    @Test
    void movieLens1mLayout_runsAndIdentifiesItsData() throws Exception {
        Path dir = PublishedLayouts.movieLens1m(tmp.resolve("ml-1m"));
        CliRun run = simulate(dir, "--new-item-year", "1995");
        assertEquals(0, run.exit(), run.out() + run.err());
        String out = run.out();
        assertTrue(out.contains("Data: movielens-1m (movielens-1m) at " + dir.toAbsolutePath()), out);
        assertTrue(out.contains("SHA-256 " + sha256(dir.resolve("ratings.dat"))), out);
        assertTrue(out.contains("200 users, 300 items, " + String.format("%,d", PublishedLayouts.DATA.interactions()
                .size()) + " ratings, rating scale 1–5 in steps of 1"), out);
        assertTrue(out.contains("features: gender(2), age(7), occupation(21), zip(11), genre("), out);
        assertTrue(out.matches("(?s).*Split \\(seed 1, random users, new items from 1995\\): TRAIN \\d+, USER_COLD \\d+, "
                + "ITEM_COLD \\d+, USER_ITEM_COLD \\d+ tasks.*"), out);
        assertTrue(out.contains("FedRecon, reconstructed"), out);
        JsonObject s = results();
        JsonObject data = s.getAsJsonObject("data");
        assertEquals("movielens-1m", data.get("kind").getAsString());
        assertEquals(dir.toAbsolutePath().normalize().toString(), data.get("path").getAsString());
        JsonObject ratings = data.getAsJsonArray("files").get(0).getAsJsonObject();
        assertEquals("ratings.dat", ratings.get("name").getAsString());
        assertEquals(Files.size(dir.resolve("ratings.dat")), ratings.get("bytes").getAsLong());
        assertEquals(sha256(dir.resolve("ratings.dat")), ratings.get("sha256").getAsString());
        assertEquals(200, data.get("users").getAsInt());
        assertEquals(1995, s.getAsJsonObject("split").get("newItemYear").getAsInt());
        assertTrue(s.getAsJsonObject("split").getAsJsonObject("tasksPerPartition").getAsJsonObject("1")
                .get("TRAIN").getAsInt() > 0);
        assertFalse(run.err().contains("\r"), "no carriage returns in a redirected log");
    }

    @Test
    void latestSmallLayout_halfStars_endToEnd_metricsOnTheHalfStarScale() throws Exception {
        Path dir = PublishedLayouts.movieLensLatestSmall(tmp.resolve("ml-latest-small"));
        CliRun run = simulate(dir, "--split", "time");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("rating scale 0.5–5 in steps of 0.5"), run.out());
        assertTrue(run.out().contains("features: genre("), run.out()); // no demographics in this layout
        assertTrue(run.out().contains("Split (seed 1, time users"), run.out());
        JsonObject scale = results().getAsJsonObject("data").getAsJsonObject("ratingScale");
        assertEquals(0.5, scale.get("min").getAsDouble());
        assertEquals(0.5, scale.get("step").getAsDouble());
        // Metrics were computed on half-star ratings: the baseline's errors are fractional and within the scale.
        String csv = Files.readString(tmp.resolve("out/results.csv"));
        assertTrue(csv.contains("\"Bias μ+b_u+b_i\",1,2,USER_COLD,0,mae,"), csv);
        CliRun demo = CliRun.of("demo", "--data", dir.toString(), "--epochs", "1");
        assertEquals(0, demo.exit(), demo.out() + demo.err());
        assertTrue(demo.out().contains("Hit@3 counts ratings >= 4.0 on the 0.5–5 in steps of 0.5 scale"), demo.out());
    }

    @Test
    void genericLayout_withDeclaredScale_runs() throws Exception {
        Path dir = PublishedLayouts.generic(tmp.resolve("generic"));
        CliRun run = simulate(dir, "--rating-scale", "1:10:1");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("Data: generic (generic)"), run.out());
        assertTrue(run.out().contains("rating scale 1–10 in steps of 1\n"), run.out());
        assertTrue(run.out().contains("u_gender(2), u_job(21), i_kind(18, multi-hot)"), run.out());
        assertEquals(8.0, io.metafed.model.data.RatingScale.parse("1:10:1").relevanceThreshold());
    }

    @Test
    void splitFile_endToEnd_tasksFollowTheFile() throws Exception {
        Path dir = PublishedLayouts.movieLens1m(tmp.resolve("ml-1m"));
        StringBuilder sb = new StringBuilder("user,item,partition\n");
        int listed = 0;
        for (Interaction in : PublishedLayouts.DATA.interactions()) {
            if (in.item() % 10 == 9) {
                continue; // a published split need not list every rating
            }
            sb.append(in.user()).append(',').append(in.item()).append(',')
                    .append(in.user() <= 50 ? (in.item() <= 30 ? "USER_ITEM_COLD" : "USER_COLD")
                            : (in.item() <= 30 ? "ITEM_COLD" : "TRAIN")).append('\n');
            listed++;
        }
        Path split = Files.writeString(tmp.resolve("split.csv"), sb);
        CliRun run = simulate(dir, "--split-file", split.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        int unlisted = PublishedLayouts.DATA.interactions().size() - listed;
        assertTrue(run.out().contains("Split (seed 1, from " + split + ", " + listed + " ratings listed, " + unlisted
                + " of the dataset not): TRAIN "), run.out());
        assertEquals(split.toAbsolutePath().normalize().toString(),
                results().getAsJsonObject("split").get("splitFile").getAsString());
    }

    @Test
    void refusals_areOneLineWithExitCode2() throws IOException {
        CliRun missing = CliRun.of("simulate", "--data", tmp.resolve("nope").toString());
        assertEquals(2, missing.exit());
        assertEquals("metafed: data directory does not exist: " + tmp.resolve("nope").toAbsolutePath(),
                missing.err().strip());
        Path dir = PublishedLayouts.movieLens1m(tmp.resolve("ml-1m"));
        Interaction first = PublishedLayouts.DATA.interactions().get(0);
        Files.writeString(dir.resolve("ratings.dat"), first.user() + "::" + first.item() + "::3::1500000999\n",
                java.nio.file.StandardOpenOption.APPEND);
        CliRun dup = CliRun.of("simulate", "--data", dir.toString(), "--duplicates", "refuse");
        assertEquals(2, dup.exit());
        int line = PublishedLayouts.DATA.interactions().size() + 1;
        assertEquals("metafed: " + dir.resolve("ratings.dat") + ":" + line + ": duplicate rating of item " + first.item()
                + " by user " + first.user() + " (also at line 1); 1 repeated (user, item) rating in all; "
                + "--duplicates keep-last keeps the last of each", dup.err().strip());
        CliRun badPolicy = CliRun.of("simulate", "--data", dir.toString(), "--duplicates", "first");
        assertEquals(2, badPolicy.exit());
        assertEquals("metafed: --duplicates must be keep-last or refuse, found 'first'", badPolicy.err().strip());
        CliRun badFormat = CliRun.of("demo", "--data", dir.toString(), "--format", "ml1m");
        assertEquals(2, badFormat.exit());
        assertTrue(badFormat.err().startsWith("metafed: --format must be auto or one of [movielens-100k,"),
                badFormat.err());
        CliRun badSplit = CliRun.of("demo", "--split", "sideways");
        assertEquals("metafed: --split must be random or time, found 'sideways'", badSplit.err().strip());
    }

    @Test
    void movielensAlias_stillWorks() throws IOException {
        Path dir = PublishedLayouts.movieLens1m(tmp.resolve("ml-1m"));
        CliRun run = CliRun.of("demo", "--movielens", dir.toString(), "--epochs", "1");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("Data: movielens-1m"), run.out());
    }
}
