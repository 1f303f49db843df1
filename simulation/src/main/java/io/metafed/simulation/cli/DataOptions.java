package io.metafed.simulation.cli;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.MovieLensLoader;
import io.metafed.model.data.SyntheticConfig;
import io.metafed.model.data.SyntheticDataGenerator;
import io.metafed.model.task.SplitConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which data to run on and how to split it into cold-start tasks; shared by the commands. */
public final class DataOptions {
    @Option(names = {"-m", "--movielens"}, paramLabel = "DIR",
            description = "MovieLens-100K directory (u.data, u.user, u.item, ...). Default: the embedded synthetic data.")
    Path movielens;

    @Option(names = {"-s", "--seed"}, defaultValue = "1", description = "Seed of data generation, task split and "
            + "initialization (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--new-item-year", defaultValue = "1997",
            description = "Items released in this year or later are new items (default: ${DEFAULT-VALUE}).")
    int newItemYear;

    Dataset load() {
        return movielens == null ? SyntheticDataGenerator.generate(SyntheticConfig.defaults(seed))
                : MovieLensLoader.load(movielens);
    }

    SplitConfig split() {
        SplitConfig melu = SplitConfig.melu(seed);
        return new SplitConfig(seed, newItemYear, melu.newUserFraction(), melu.minRatings(), melu.maxRatings(),
                melu.querySize());
    }
}
