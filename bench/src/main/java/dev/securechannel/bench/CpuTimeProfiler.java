package dev.securechannel.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler reporting the CPU time the benchmark JVM burns per operation, for runs on a
 * shared or small machine ({@code -prof dev.securechannel.bench.CpuTimeProfiler}).
 *
 * <p>Wall-clock time per operation (JMH's primary score) inflates whenever another process
 * takes the CPU; the process CPU time per operation barely does, because time the JVM spends
 * descheduled is not counted. It counts every thread of the JVM: the benchmark thread,
 * helper threads the benchmark starts (the accept thread, the key-pool refill thread, which
 * is the point: moving work to another thread does not make it free), GC threads (allocation
 * has a cost) and JIT threads (quiet after warm-up). Two secondary results per iteration:
 * <ul>
 *   <li>{@code cpu.time/op}: process CPU time / operations, in the benchmark's time unit;</li>
 *   <li>{@code cpu.cores}: process CPU time / wall time: about 1 for a single-threaded
 *       benchmark on an idle machine, below 1 when the machine is contended.</li>
 *   <li>{@code cpu.others} (Linux only): the CPU the rest of the machine used during the
 *       iteration, in cores (busy time from {@code /proc/stat} less this JVM's, over wall
 *       time). Near 0 means a clean iteration; on a shared machine, keep only iterations where
 *       it is near 0. On virtual machines the guest's CPU time is not contention-proof either
 *       (the host may throttle the vCPUs), so this is the better filter.</li>
 * </ul>
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startCpu;
    private long startWall;
    private long startSystemBusyTicks;
    /** USER_HZ: the unit of /proc/stat, 100 on every mainstream Linux. */
    private static final double NANOS_PER_TICK = 1e9 / 100;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    @Override
    public String getDescription() {
        return "Process CPU time per operation (all JVM threads), robust to CPU contention";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startSystemBusyTicks = systemBusyTicks();
        startWall = System.nanoTime();
        startCpu = os.getProcessCpuTime();
    }

    @Override
    @SuppressWarnings("rawtypes") // the InternalProfiler signature uses the raw Result type
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - startCpu;
        long wall = System.nanoTime() - startWall;
        long systemBusy = systemBusyTicks();
        long ops = result.getMetadata().getAllOps();
        double nanosPerUnit = benchmarkParams.getTimeUnit().toNanos(1);
        String unit = switch (benchmarkParams.getTimeUnit()) {
            case NANOSECONDS -> "ns";
            case MICROSECONDS -> "us";
            case MILLISECONDS -> "ms";
            case SECONDS -> "s";
            default -> benchmarkParams.getTimeUnit().toString();
        };
        double perOp = ops == 0 ? Double.NaN : cpu / nanosPerUnit / ops;
        List<Result> results = new ArrayList<>();
        results.add(new ScalarResult("cpu.time/op", perOp, unit + "/op", AggregationPolicy.AVG));
        results.add(new ScalarResult("cpu.cores", wall == 0 ? Double.NaN : (double) cpu / wall, "cores", AggregationPolicy.AVG));
        if (systemBusy >= 0 && startSystemBusyTicks >= 0 && wall > 0) {
            double others = Math.max(0, (systemBusy - startSystemBusyTicks) * NANOS_PER_TICK - cpu) / wall;
            results.add(new ScalarResult("cpu.others", others, "cores", AggregationPolicy.AVG));
        }
        return results;
    }

    /** Busy ticks of all CPUs (user, nice, system, irq, softirq, steal), or -1 where /proc/stat is absent. */
    private static long systemBusyTicks() {
        try {
            String line = Files.readAllLines(PROC_STAT).get(0);
            String[] fields = line.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle and iowait are not busy
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
