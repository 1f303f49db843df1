package io.metafed.simulation.cli;

import io.metafed.evaluation.data.LoadedData;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.model.data.Dataset;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.StatusResponse;
import io.metafed.sdk.transport.TlsTrust;
import io.metafed.security.signature.KeyFiles;
import io.metafed.simulation.Algorithm;
import io.metafed.simulation.eval.EvalPoint;
import java.util.ArrayList;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.network.NetworkSimulation;
import io.metafed.simulation.network.ServedLayouts;
import io.metafed.simulation.network.ServerProbe;
import io.metafed.simulation.report.ResultTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * {@code simulate --coordinator embedded|URL}: the model trained with devices reaching the coordinator over
 * HTTP(S) — FedRecon for the collaborative model, FedReptile for MeLU, the algorithm the SDK runs for a task of that
 * model. Against a URL, the model is the one the coordinator announces unless {@code --model} (and {@code --dim},
 * {@code --ridge}, {@code --item-reg}) say otherwise, and a coordinator serving another layout is refused before
 * any device enrolls.
 */
final class NetworkMode {
    private final SimulateCommand options;

    NetworkMode(SimulateCommand options) {
        this.options = options;
    }

    void run() {
        if (!options.devices.equals("train") && !options.devices.equals("all")) {
            throw new IllegalArgumentException("--devices must be train or all, found '" + options.devices + "'");
        }
        boolean embedded = options.coordinator.equals("embedded");
        URI uri = embedded ? null : URI.create(options.coordinator);
        SSLContext trust = options.trustCert == null ? null : TlsTrust.fromPemCertificate(options.trustCert);
        StatusResponse served = embedded ? null : new ServerProbe(uri, trust).status();
        if (served != null) {
            adopt(served);
        }
        List<Algorithm> algorithms = networkedAlgorithms(embedded);
        options.data.validate();
        LoadedData loaded = options.data.loadWithProvenance();
        DataOptions.describe(loaded, System.out);
        Dataset dataset = loaded.dataset();
        long seed = options.seeds.get(0);
        ColdStartSplit split = options.data.coldStart(dataset, seed);
        System.out.println(options.data.describeSplit(split, seed));
        // Against a running coordinator the device keys must outlive the run: a second run re-enrolls the same ids.
        Path keys = options.deviceKeysDir != null ? options.deviceKeysDir
                : embedded ? null : options.out.resolve("device-keys");
        List<EvalPoint> points = new ArrayList<>();
        for (Algorithm algorithm : algorithms) {
            NetworkSimulation simulation = new NetworkSimulation(dataset, options.networkConfig(),
                    options.clientThreads, options.devices.equals("all"), keys, algorithm);
            NetworkSimulation.Result result = runOne(simulation, served, dataset, split, seed, uri, trust, embedded,
                    keys);
            // The baselines do not depend on the algorithm: keep them once.
            boolean first = points.isEmpty();
            result.points().stream().filter(p -> first || p.model().startsWith(simulation.label()))
                    .forEach(points::add);
        }
        System.out.print(ResultTable.render(points, options.rounds()));
    }

    /**
     * Takes the model the coordinator announces for what the command line leaves open: the family without
     * {@code --model}, and the collaborative model's dimension, ridge and item L2 without their options. The
     * catalogue and content schema come from the dataset and are checked, not taken.
     */
    private void adopt(StatusResponse served) {
        ServedLayouts.parse(served).ifPresent(a -> {
            if (options.model == null) {
                options.model = a.family();
            }
            if (!a.family().equals(io.metafed.model.nn.CollabConfig.FAMILY)
                    || options.modelFamily() != ModelFamily.COLLAB) {
                return;
            }
            if (options.dim == null) {
                a.field("dim").map(Integer::valueOf).ifPresent(d -> options.dim = d);
            }
            if (options.ridge == null && a.field("lu").equals(a.field("lb"))) {
                a.field("lu").map(Double::valueOf).ifPresent(r -> options.ridge = r);
            }
            if (options.itemReg == null) {
                a.field("reg").map(Double::valueOf).ifPresent(r -> options.itemReg = r);
            }
            if (options.itemRows == 0) {
                a.field("rows").map(Integer::valueOf).ifPresent(r -> options.itemRows = r);
            }
        });
    }

    private NetworkSimulation.Result runOne(NetworkSimulation simulation, StatusResponse served, Dataset dataset,
            ColdStartSplit split, long seed, URI uri, SSLContext trust, boolean embedded, Path keys) {
        ParamLayout layout = simulation.layout();
        if (served != null) {
            requireServes(served, layout, dataset, uri);
        }
        System.out.printf(Locale.ROOT, "Model: %s, algorithm %s (%d shared parameters; %s)%n",
                layout.spec().describe(), simulation.label(), layout.size(), layout.privateSize() > 0 ? layout.privateSize()
                        + " private per-user parameters that stay on each device" : "no private parameters");
        Path work = SimulateCommand.createTempDir();
        NetworkSimulation.Result result;
        try {
            if (embedded) {
                result = simulation.runEmbedded(split, seed, work);
            } else {
                if (options.config().privacy().isPresent()) {
                    throw new IllegalArgumentException("--dp-* options apply to the embedded coordinator only; a "
                            + "running coordinator is made private with its own --dp-clip/--dp-noise options");
                }
                if ((options.modelKey == null) != (options.enrollmentToken == null)) {
                    throw new IllegalArgumentException("--model-key and --enrollment-token go together (an "
                            + "authenticated coordinator needs both; a --no-client-auth one neither)");
                }
                result = options.modelKey == null ? simulation.runAgainst(uri, trust, split, seed, work)
                        : simulation.runAgainst(uri, trust, new NetworkSimulation.Credentials(
                                KeyFiles.readPublicKey(options.modelKey), options.enrollmentToken), split, seed, work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("networked simulation failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            SimulateCommand.deleteRecursively(work);
        }
        System.out.printf(Locale.ROOT, "Data: %s; %d devices on %d threads; coordinator %s; %s%n", dataset.source(),
                result.devices(), options.clientThreads, options.coordinator, options.plainUpdates
                        ? "PLAIN updates (--plain-updates: the coordinator sees each device's update)"
                        : "secure aggregation (the coordinator sees only the sum)");
        if (keys != null) {
            System.out.println("Device keys: " + keys.toAbsolutePath());
        }
        System.out.printf(Locale.ROOT, "Model version %d -> %d in %.1f s: %d updates accepted (%.1f updates/s), "
                        + "%.1f MB over HTTP (%.2f MB/s), %d refused, %d unavailable, %d vanished (churn)%n",
                result.startVersion(), result.run().finalVersion(), result.run().seconds(), result.run().submitted(),
                result.updatesPerSecond(), result.bytes() / 1e6, result.megabytesPerSecond(), result.run().refused(),
                result.run().unavailable(), result.run().vanished());
        // Per device-round: every task taken (sent or vanished); includes task polls and the model download.
        if (result.privacySpent() != null) {
            System.out.printf(Locale.ROOT, "Privacy spent by the coordinator: ε = %.4g at δ = %s%n",
                    result.privacySpent().epsilon(), result.privacySpent().delta());
        }
        double deviceRounds = Math.max(1, result.run().submitted() + result.run().vanished());
        System.out.printf(Locale.ROOT, "Per device-round: %.1f kB up, %.1f kB down (HTTP, inside TLS)%n",
                result.bytesUp() / 1e3 / deviceRounds, result.bytesDown() / 1e3 / deviceRounds);
        System.out.println();
        return result;
    }

    /**
     * The algorithms to run over the network. Embedded: each federated algorithm of {@code -a} (default: the
     * model's, FedRecon for collab and FedReptile for MeLU) with a coordinator of its own, which announces it in
     * every task. A running coordinator announces what its own {@code --algorithm} says and the devices run that, so
     * {@code -a} may name one algorithm there, which labels the results (and picks Meta-SGD's layout).
     */
    private List<Algorithm> networkedAlgorithms(boolean embedded) {
        if (options.algorithms == null) {
            return List.of(NetworkSimulation.defaultAlgorithm(options.modelFamily()));
        }
        List<Algorithm> local = options.algorithms.stream().filter(a -> a.federated() == null)
                .collect(Collectors.toList());
        if (!local.isEmpty()) {
            throw new IllegalArgumentException("-a " + local.stream().map(Enum::name).collect(Collectors.joining(","))
                    + " is not federated and has no networked form: run it in process (without --coordinator)");
        }
        options.algorithms.forEach(a -> a.requireSupports(options.modelFamily()));
        if (!embedded && options.algorithms.size() > 1) {
            throw new IllegalArgumentException("a running coordinator runs the one algorithm it serves (its"
                    + " --algorithm); give at most one -a with --coordinator URL, found " + options.algorithms);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(options.algorithms));
    }

    /**
     * Refuses a coordinator that serves another layout than this dataset gives; when only the catalogue differs,
     * writes this dataset's item ids where the operator can serve them from.
     */
    private void requireServes(StatusResponse served, ParamLayout layout, Dataset dataset, URI uri) {
        try {
            ServedLayouts.requireServes(served, layout, uri);
        } catch (IllegalArgumentException e) {
            if (!(layout.spec() instanceof io.metafed.model.nn.CollabConfig collab)) {
                throw e;
            }
            Path catalog = options.out.resolve("catalog.txt");
            try {
                Files.createDirectories(options.out);
                StringBuilder text = new StringBuilder("# the item ids of " + dataset.source() + "\n");
                for (int id : collab.itemIds()) {
                    text.append(id).append('\n');
                }
                Files.writeString(catalog, text, StandardCharsets.UTF_8);
            } catch (IOException io) {
                throw new UncheckedIOException("Unable to write " + catalog, io);
            }
            throw new IllegalArgumentException(e.getMessage() + "; this dataset's " + collab.itemIds().length
                    + " item ids are in " + catalog + ": serve its model with coordinator/run-coordinator.sh "
                    + ServedLayouts.coordinatorOptions(collab, catalog), e);
        }
    }
}
