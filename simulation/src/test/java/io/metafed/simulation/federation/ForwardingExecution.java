package io.metafed.simulation.federation;

import io.metafed.sdk.MetafedClient;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A test's view of another execution (usually a {@link ClientPool}) that forwards users, the rating bound and
 * {@link #map}, and leaves every other operation to {@link ClientExecution}'s defaults, which go through this
 * {@code map}: a subclass that changes {@code map} changes them too. Closing it leaves the delegate open, for its
 * owner to close.
 */
public abstract class ForwardingExecution implements ClientExecution {
    protected final ClientExecution delegate;

    protected ForwardingExecution(ClientExecution delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public List<Integer> users() {
        return delegate.users();
    }

    @Override
    public int maxRatingCount() {
        return delegate.maxRatingCount();
    }

    @Override
    public <R> List<R> map(List<Integer> users, BiFunction<Integer, MetafedClient, R> job) {
        return delegate.map(users, job);
    }

    @Override
    public void close() {
    }
}
