package io.metafed.simulation.spark;

import io.metafed.model.data.Dataset;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.MetafedClient;
import io.metafed.simulation.federation.ClientPool;
import io.metafed.simulation.federation.ClientRound;
import io.metafed.simulation.federation.UpdateSum;
import io.metafed.simulation.federation.WorkerRuntimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What lives in an executor JVM across tasks and rounds: per population, the decoded catalogue, the layout and the
 * directory of the devices' interaction stores (each written once, when the device first runs here); per task
 * thread, one runtime per layout (ONNX Runtime sessions for MeLU), made on first use and reused by every later
 * task on that thread. Runtimes are not thread-safe, and Spark runs one task per thread at a time, so a thread's
 * runtime is never shared.
 */
final class ExecutorSide {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSide.class);
    private static final Map<String, Population> POPULATIONS = new ConcurrentHashMap<>();
    private static final List<WorkerRuntimes> ALL_RUNTIMES = new ArrayList<>(); // guarded by itself
    /** Bumped by {@link #closeRuntimes}: a thread's cached runtimes from an older generation are closed ones. */
    private static volatile int generation;
    private static final ThreadLocal<ThreadRuntimes> RUNTIMES = new ThreadLocal<>();
    private static Path storeRoot; // guarded by ExecutorSide.class
    private static final java.util.concurrent.atomic.AtomicLong DEVICES_OPENED = new java.util.concurrent.atomic.AtomicLong();

    private ExecutorSide() {
    }

    /** One population's executor-side state. */
    private record Population(Dataset catalog, ParamLayout layout, Path stores) {
    }

    /** A thread's runtimes by layout id, valid while {@code generation} is current. */
    private record ThreadRuntimes(int generation, Map<Long, WorkerRuntimes> byLayout) {
    }

    /** A round's θ as the SDK receives it, made once per thread and round rather than per client. */
    private static final ThreadLocal<Object[]> LAST_ROUND = new ThreadLocal<>();

    /** Adds {@code client}'s update to {@code sum} when the round selected it; returns {@code sum}. */
    static UpdateSum adaptInto(ClientContext context, ClientContext.Round round, UpdateSum sum, ClientData client) {
        if (Arrays.binarySearch(round.selected(), client.user()) < 0) {
            return sum;
        }
        Optional<LocalUpdate> u = withDevice(context, client, (population, device) ->
                clientRound(population.layout(), round).tryAdapt(client.user(), device));
        if (u.isPresent()) {
            sum.add(client.user(), u.get());
        } else {
            sum.dropped(client.user());
        }
        return sum;
    }

    /** Runs {@code job} on {@code client}'s device, opened on this thread's runtime and closed afterwards. */
    static <R> R withDevice(ClientContext context, ClientData client,
                            BiFunction<PopulationView, MetafedClient, R> job) {
        Population p = population(context);
        Path store = p.stores().resolve("user-" + client.user() + ".store");
        try (MetafedClient device = ClientPool.device(runtimes(p.layout()), 0, p.layout(), p.catalog(),
                p.catalog().scale(), client.user(), store)) {
            DEVICES_OPENED.incrementAndGet();
            if (device.ratingCount() == 0) {
                // First run of this device in this JVM: its history is imported once, as in the in-process pool.
                device.recordRatings(client.items(), client.ratings());
            }
            return job.apply(new PopulationView(p.layout()), device);
        }
    }

    /** What a job sees of its population. */
    record PopulationView(ParamLayout layout) {
    }

    private static ClientRound clientRound(ParamLayout layout, ClientContext.Round round) {
        Object[] last = LAST_ROUND.get();
        if (last != null && last[0] == round) {
            return (ClientRound) last[1];
        }
        ClientRound r = new ClientRound(round.roundId(), GlobalModel.of(round.modelVersion(), layout, round.theta()),
                round.training().toLocal(), round.seed());
        LAST_ROUND.set(new Object[] {round, r});
        return r;
    }

    private static Population population(ClientContext context) {
        return POPULATIONS.computeIfAbsent(context.run(), run -> {
            Dataset catalog = CatalogCodec.decode(context.catalog());
            ParamLayout layout = context.layout(catalog);
            Path stores;
            try {
                stores = Files.createDirectories(storeRoot().resolve(run));
            } catch (IOException e) {
                throw new UncheckedIOException("Unable to create the device store directory of population " + run, e);
            }
            LOG.info("Population {}: {} users, {} items, layout {} ({} parameters), stores in {}", run,
                    catalog.users().size(), catalog.items().size(), Long.toHexString(layout.id()), layout.size(),
                    stores);
            return new Population(catalog, layout, stores);
        });
    }

    private static WorkerRuntimes runtimes(ParamLayout layout) {
        ThreadRuntimes mine = RUNTIMES.get();
        int current = generation;
        if (mine == null || mine.generation() != current) {
            mine = new ThreadRuntimes(current, new HashMap<>());
            RUNTIMES.set(mine);
        }
        return mine.byLayout().computeIfAbsent(layout.id(), id -> {
            WorkerRuntimes w = new WorkerRuntimes(layout, 1);
            synchronized (ALL_RUNTIMES) {
                ALL_RUNTIMES.add(w);
            }
            LOG.debug("Thread {} opened a runtime for layout {}", Thread.currentThread().getName(),
                    Long.toHexString(id));
            return w;
        });
    }

    /** How many runtimes this JVM has opened since the last {@link #closeRuntimes}: one per task thread and layout. */
    static int openRuntimes() {
        synchronized (ALL_RUNTIMES) {
            return ALL_RUNTIMES.size();
        }
    }

    /** How many times this JVM opened a device (once per client adaptation, plus once when a population starts). */
    static long devicesOpened() {
        return DEVICES_OPENED.get();
    }

    /** Closes every runtime this JVM opened (the driver's JVM in local mode, when the engine stops). */
    static void closeRuntimes() {
        generation++;
        synchronized (ALL_RUNTIMES) {
            ALL_RUNTIMES.forEach(WorkerRuntimes::close);
            ALL_RUNTIMES.clear();
        }
    }

    /** Bytes of population {@code run}'s device stores in this JVM's store directory (0 when none ran here). */
    static long storeBytes(String run) {
        Population p = POPULATIONS.get(run);
        if (p == null) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(p.stores())) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("Unable to measure the device stores in " + p.stores(), e);
        }
    }

    /** Forgets population {@code run} in this JVM and deletes its device stores. */
    static void release(String run) {
        Population p = POPULATIONS.remove(run);
        if (p != null) {
            deleteRecursively(p.stores());
        }
    }

    private static synchronized Path storeRoot() throws IOException {
        if (storeRoot == null) {
            storeRoot = Files.createTempDirectory("metafed-spark-devices");
            Path root = storeRoot;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(root), "metafed-store-cleanup"));
        }
        return storeRoot;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete device stores in {}: {}", dir, e.toString());
        }
    }
}
