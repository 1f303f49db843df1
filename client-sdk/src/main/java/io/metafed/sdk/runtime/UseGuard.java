package io.metafed.sdk.runtime;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Refuses concurrent and post-close use of a resource that is single-threaded by design. Failing fast with
 * both threads named beats a lock here: concurrent use means the caller shares a runtime it should not share,
 * and native sessions closed under a running call would crash the process instead of throwing.
 */
final class UseGuard {
    private final String resource;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private volatile boolean closed;

    UseGuard(String resource) {
        this.resource = resource;
    }

    /** Marks the resource in use by the calling thread, or throws if it is closed or already in use. */
    void enter(String operation) {
        requireOpen(operation);
        Thread me = Thread.currentThread();
        if (!owner.compareAndSet(null, me)) {
            Thread other = owner.get();
            throw new IllegalStateException(resource + " is not thread-safe: " + operation + " on thread '"
                    + me.getName() + "' while thread '" + (other == null ? "?" : other.getName())
                    + "' is using it; give each thread its own runtime");
        }
        if (closed) { // close() won the race between the check above and the compareAndSet
            owner.set(null);
            requireOpen(operation);
        }
    }

    void exit() {
        owner.set(null);
    }

    /**
     * Marks the resource closed.
     *
     * @return true on the first call, false when it was already closed (close is idempotent)
     * @throws IllegalStateException when another thread is using the resource
     */
    boolean close() {
        Thread me = Thread.currentThread();
        if (!owner.compareAndSet(null, me)) {
            if (closed) {
                return false;
            }
            Thread other = owner.get();
            throw new IllegalStateException("cannot close " + resource + " while thread '"
                    + (other == null ? "?" : other.getName()) + "' is using it");
        }
        try {
            boolean first = !closed;
            closed = true;
            return first;
        } finally {
            owner.set(null);
        }
    }

    private void requireOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(resource + " is closed; " + operation + " refused");
        }
    }
}
