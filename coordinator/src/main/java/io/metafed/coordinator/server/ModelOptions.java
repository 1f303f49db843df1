package io.metafed.coordinator.server;

import io.metafed.model.features.CollabEncoder;
import io.metafed.model.features.FeatureSchema;
import io.metafed.model.nn.CollabConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --model} options of {@link CoordinatorMain}: which model the federation serves. The collaborative model
 * (the project's default) has a row per catalogue item, so it needs the catalogue ({@code --catalog}); MeLU needs
 * none. A data directory keeps serving the model it was created with: a start with other model options is refused
 * (see {@code Federation}).
 */
public final class ModelOptions {
    static final String COLLAB = CollabConfig.FAMILY;
    static final String MELU = io.metafed.model.nn.ModelConfig.FAMILY;
    /** The simulator's collaborative minibatch, chosen on validation users (docs/RESULTS.md). */
    static final int COLLAB_BATCH = 128;
    static final int MELU_BATCH = 32;

    @Option(names = "--model", paramLabel = "collab|melu", defaultValue = COLLAB, description = "Model to serve:"
            + " 'collab' (μ + b_i + b_u + ⟨p_u, q_i⟩ with an item table, a content tower and private user parameters"
            + " that never leave the devices; needs --catalog) or 'melu' (the MeLU-style MLP over features)"
            + " (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--catalog", paramLabel = "FILE", description = "Collab: the item ids the model has rows for,"
            + " one per line or the first field of each line (a MovieLens u.item, movies.dat or movies.csv works as"
            + " it is; '#' comments). Devices score other items by their content alone.")
    Path catalog;

    @Option(names = "--genres", paramLabel = "N", description = "Genre flags per item in the devices' catalogue;"
            + " sets the legacy content row (collab: genres, the fixed year buckets, a constant) or the genre"
            + " vocabulary (melu) (default 19, MovieLens).")
    Integer genres;

    @Option(names = "--content", paramLabel = "SCHEMA", description = "Collab: the content schema the devices"
            + " encode items with, as `./metafed simulate` prints it in its Model line after 'schema=' (e.g."
            + " genre:19m,year:7<1986|1992|1994|1995|1996>): genres, year buckets fitted to the catalogue and the"
            + " dataset's i_* attributes. Default: the legacy content row of --genres.")
    String content;

    @Option(names = "--item-rows", paramLabel = "B", description = "Collab: hash the catalogue into B item-table"
            + " rows, which bounds every update whatever the catalogue's size (default: a row per item).")
    Integer itemRows;

    @Option(names = "--dim", paramLabel = "D", description = "Collab: width of the user and item factors (default: "
            + CollabConfig.DEFAULT_DIM + ").")
    Integer dim;

    @Option(names = "--ridge", paramLabel = "λ", description = "Collab: ridge strength of the on-device user"
            + " reconstruction (default: " + CollabConfig.DEFAULT_LAMBDA + ").")
    Double ridge;

    @Option(names = "--item-reg", paramLabel = "R", description = "Collab: L2 penalty on the item rows a device"
            + " trains (default: " + CollabConfig.DEFAULT_ITEM_REG + ").")
    Double itemReg;

    /** Whether the collaborative model is asked for. */
    boolean collab() {
        return family().equals(COLLAB);
    }

    /** The minibatch devices use unless {@code --batch-size} says otherwise. */
    int defaultBatchSize() {
        return collab() ? COLLAB_BATCH : MELU_BATCH;
    }

    /**
     * The model these options ask for.
     *
     * @throws IllegalArgumentException naming the option that is missing, unknown or does not apply
     * @throws StartupException         when the catalogue cannot be read
     */
    ServedModel served() {
        int genreCount = genres != null ? genres : FederationConfig.GENRES;
        if (genreCount < 1) {
            throw new IllegalArgumentException("--genres must be >= 1, found " + genreCount);
        }
        if (!collab()) {
            if (catalog != null || dim != null || ridge != null || itemReg != null || content != null
                    || itemRows != null) {
                throw new IllegalArgumentException("--catalog, --content, --item-rows, --dim, --ridge and --item-reg"
                        + " apply to --model collab, not --model " + MELU);
            }
            return ServedModel.melu(FederationConfig.OCCUPATIONS, genreCount);
        }
        if (content != null && genres != null) {
            throw new IllegalArgumentException("--content and --genres exclude each other: the content schema names"
                    + " the genre count");
        }
        if (catalog == null) {
            throw new IllegalArgumentException("--model collab (the default) needs --catalog FILE with the item ids"
                    + " the model has rows for (e.g. a MovieLens u.item), or give --model melu");
        }
        int[] items;
        try {
            items = CatalogFile.read(catalog);
        } catch (IOException e) {
            throw new StartupException("cannot read --catalog " + OperatorMessages.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--catalog: " + e.getMessage(), e);
        }
        double lambda = ridge != null ? ridge : CollabConfig.DEFAULT_LAMBDA;
        int d = dim != null ? dim : CollabConfig.DEFAULT_DIM;
        double reg = itemReg != null ? itemReg : CollabConfig.DEFAULT_ITEM_REG;
        CollabConfig config;
        try {
            config = (content == null ? new CollabConfig(items, CollabEncoder.contentWidth(genreCount), d, lambda,
                    lambda, reg) : CollabConfig.withContent(items, FeatureSchema.parse(content), d, lambda, lambda,
                    reg)).withItemRows(itemRows != null ? itemRows : 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((content != null ? "--content: " : "") + e.getMessage(), e);
        }
        return ServedModel.collab(config, ServedModel.DEFAULT_MEAN_RATING);
    }

    private String family() {
        String f = model.toLowerCase(Locale.ROOT);
        if (!f.equals(COLLAB) && !f.equals(MELU)) {
            throw new IllegalArgumentException("--model must be collab or melu, found '" + model + "'");
        }
        return f;
    }
}
