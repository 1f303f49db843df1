package io.metafed.simulation.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap measurements without an agent. Retained size: heap in use after full collections, before and after
 * allocating something that stays reachable, divided by how many were allocated. Allocation: the bytes the
 * current thread allocated ({@code com.sun.management.ThreadMXBean}, HotSpot), an upper bound on the garbage an
 * operation adds to the heap at its peak.
 */
public final class HeapProbe {
    private static final int COLLECTIONS = 3;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /** Heap bytes in use after {@value #COLLECTIONS} requested full collections. */
    public static long usedAfterGc() {
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
            try {
                Thread.sleep(20); // lets concurrent cleanup (reference processing, Cleaner) run
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring the heap", e);
            }
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
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
