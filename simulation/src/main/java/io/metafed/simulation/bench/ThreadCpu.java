package io.metafed.simulation.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.Predicate;

/**
 * CPU time of the live threads whose name matches, summed: what one side of a loopback benchmark costs, which
 * unlike wall time hardly changes when other processes share the cores. GC and JIT threads are not counted.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Milliseconds all garbage collectors of this JVM have spent collecting so far. */
    static long gcMillis() {
        long total = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** Nanoseconds of CPU used so far by live threads whose name passes {@code name}; 0 where unsupported. */
    static long nanos(Predicate<String> name) {
        if (!THREADS.isThreadCpuTimeSupported()) {
            return 0;
        }
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && name.test(info.getThreadName())) {
                long t = THREADS.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, t);
            }
        }
        return total;
    }
}
