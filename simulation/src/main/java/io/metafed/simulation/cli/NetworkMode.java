package io.metafed.simulation.cli;

import io.metafed.evaluation.data.LoadedData;
import io.metafed.evaluation.task.ColdStartSplit;
import io.metafed.model.data.Dataset;
import io.metafed.sdk.transport.TlsTrust;
import io.metafed.security.signature.KeyFiles;
import io.metafed.simulation.report.ResultTable;
import io.metafed.simulation.network.NetworkSimulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/** {@code simulate --coordinator embedded|URL}: FedReptile with devices reaching the coordinator over HTTP(S). */
final class NetworkMode {
    private final SimulateCommand options;

    NetworkMode(SimulateCommand options) {
        this.options = options;
    }

    void run() {
        if (options.modelFamily() == io.metafed.simulation.ModelFamily.COLLAB) {
            throw new IllegalArgumentException("--coordinator runs serve the MeLU model (the coordinator server does "
                    + "not serve a collaborative catalogue yet): use --model melu, or run in process without "
                    + "--coordinator");
        }
        if (!options.devices.equals("train") && !options.devices.equals("all")) {
            throw new IllegalArgumentException("--devices must be train or all, found '" + options.devices + "'");
        }
        options.data.validate();
        LoadedData loaded = options.data.loadWithProvenance();
        DataOptions.describe(loaded, System.out);
        Dataset dataset = loaded.dataset();
        long seed = options.seeds.get(0);
        ColdStartSplit split = options.data.coldStart(dataset, seed);
        System.out.println(options.data.describeSplit(split, seed));
        boolean embedded = options.coordinator.equals("embedded");
        // Against a running coordinator the device keys must outlive the run: a second run re-enrolls the same ids.
        Path keys = options.deviceKeysDir != null ? options.deviceKeysDir
                : embedded ? null : options.out.resolve("device-keys");
        NetworkSimulation simulation = new NetworkSimulation(dataset, options.networkConfig(), options.clientThreads,
                options.devices.equals("all"), keys);
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
                URI uri = URI.create(options.coordinator);
                SSLContext trust = options.trustCert == null ? null : TlsTrust.fromPemCertificate(options.trustCert);
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
        System.out.print(ResultTable.render(result.points(), options.rounds()));
    }
}
