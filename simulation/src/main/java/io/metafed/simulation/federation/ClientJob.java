package io.metafed.simulation.federation;

import io.metafed.sdk.MetafedClient;
import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A job for {@link ClientExecution#map} that can also run where a cluster engine keeps the clients: serializable,
 * so it must hold only serializable values (arrays, maps of them, enums), and so must its result.
 */
@FunctionalInterface
public interface ClientJob<R> extends BiFunction<Integer, MetafedClient, R>, Serializable {
}
