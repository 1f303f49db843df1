package io.metafed.simulation.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Heap measurements without an agent. Retained size: live heap after full collections, before and after
 * allocating something that stays reachable, divided by how many were allocated. Allocation: the bytes the
 * current thread allocated ({@code com.sun.management.ThreadMXBean}, HotSpot), an upper bound on the garbage an
 * operation adds to the heap at its peak.
 */
public final class HeapProbe {
    private static final int MAX_COLLECTIONS = 10;
    /** Two successive collections that agree this closely mean nothing was left to reclaim. */
    private static final long STABLE_BYTES = 1024;

    private HeapProbe() {
    }

    /**
     * Live heap bytes after requested full collections, repeated until two agree (finalizers and cleaners of
     * the previous round can free more). Read from each heap pool's usage at the end of its last collection,
     * which the collector records before any thread allocates again: the heap's current usage would also
     * count the fresh thread-local allocation buffers of every running thread, hundreds of KiB of noise.
     */
    public static long usedAfterGc() {
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < MAX_COLLECTIONS; i++) {
            System.gc();
            try {
                Thread.sleep(20); // lets reference processing and cleaners run before the next collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring the heap", e);
            }
            long used = collectionUsage();
            if (Math.abs(used - previous) <= STABLE_BYTES) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    private static long collectionUsage() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (after != null) {
                used += after.getUsed();
            }
        }
        return used;
    }

    /** Bytes allocated by the current thread while {@code op} ran. */
    public static long allocatedBy(Timing.Operation op) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread"
                    + " (needs HotSpot's com.sun.management.ThreadMXBean)");
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        Timing.measure(0, 1, 1, op);
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
