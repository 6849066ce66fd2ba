package dev.securechannel.bench.soak;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.securechannel.internal.connection.ConnectionRegistry;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Reads what a soak watches, in the one JVM that runs both the server and its clients: heap in
 * use right after a full collection, direct buffers (the JDK's and Netty's own), threads, open
 * file descriptors, the server's live sessions, pending handshakes and registered connections,
 * the clients' open sessions, and the run's counters so far.
 */
final class ResourceSampler {

    /** The CSV columns, in order; {@link #sample} returns values in this order. */
    static final List<String> COLUMNS = List.of("elapsed_s", "heap_after_gc_bytes", "direct_bytes", "netty_direct_bytes",
            "threads", "open_fds", "server_sessions", "server_registry", "server_pending_handshakes", "client_sessions",
            "relay_connections", "sessions_opened", "requests_answered", "tensors_answered", "heartbeats",
            "vanished_in_handshake", "vanished_in_session", "server_messages", "order_violations", "failures");

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> "direct".equals(pool.getName())).findFirst().orElseThrow();
    private final ConnectionRegistry registry;
    private final CuttingRelay relay;
    private final ChurnWorker.Counters counters;
    private final SoakServerApplication.Tally tally;
    private final long startNanos;

    ResourceSampler(ConnectionRegistry registry, SoakServerApplication.Tally tally, CuttingRelay relay, ChurnWorker.Counters counters,
                    long startNanos) {
        this.registry = registry;
        this.tally = tally;
        this.relay = relay;
        this.counters = counters;
        this.startNanos = startNanos;
    }

    /** One row: collects garbage first, so that the heap figure is what is still reachable. */
    double[] sample() {
        memory.gc();
        long heap = memory.getHeapMemoryUsage().getUsed();
        long fds = os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
        return new double[] {
            (System.nanoTime() - startNanos) / 1e9, heap, direct.getMemoryUsed(), PlatformDependent.usedDirectMemory(),
            threads.getThreadCount(), fds, registry.openSessions(), registry.connections().size(), registry.pendingHandshakes(),
            counters.clientSessionsOpen.get(), relay.liveConnections(), counters.sessionsOpened.get(),
            counters.requestsAnswered.get(), counters.tensorsAnswered.get(), counters.heartbeats.get(),
            counters.vanishedInHandshake.get(), counters.vanishedInSession.get(), tally.messagesReceived.get(),
            tally.orderViolations.get(), counters.failures.get(),
        };
    }
}
