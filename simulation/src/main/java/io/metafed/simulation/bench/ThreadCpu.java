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

    /** CPU nanoseconds this whole JVM has used so far (every thread, GC and JIT included); 0 where unknown. */
    static long processNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? Math.max(0, sun.getProcessCpuTime()) : 0;
    }

    /**
     * Jiffies the machine's CPUs spent busy and idle so far, from Linux's /proc/stat ({busy, idle}); {0, 0}
     * elsewhere. Tells whether a phase was CPU-bound (no idle) or waited on something (idle left over).
     */
    static long[] machineJiffies() {
        try {
            String cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                if (i == 4 || i == 5) { // idle, iowait
                    idle += v;
                } else {
                    busy += v;
                }
            }
            return new long[] {busy, idle};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
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
