package dev.securechannel.bench.capacity;

import java.util.List;
import java.util.Locale;

/** The capacity figures as the Markdown section the README and the transport report quote. */
final class CapacityReport {

    private CapacityReport() {
    }

    static String markdown(List<CapacityRun.IdleSessions> idle, List<CapacityRun.HandshakeRate> rates, List<CapacityRun.Limits> limits,
                           CapacityRun.Options options) {
        StringBuilder md = new StringBuilder("## Capacity\n\n");
        md.append(String.format(Locale.ROOT, "%d CPUs (%s), JDK %s (%s); the server in its own JVM, clients (Reactor Netty connector) in"
                        + " another on the same machine. Command: `bench/run-capacity.sh`.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), System.getProperty("java.version"),
                System.getProperty("java.vm.name")));
        md.append("### Idle sessions (server heap 1 GiB, mock attestation)\n\n");
        md.append("| stack | held | answered after | heap per idle session | direct per idle session | server heap, none → all |"
                + " idle sessions per GiB of heap (extrapolated) |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (CapacityRun.IdleSessions row : idle) {
            md.append(String.format(Locale.ROOT, "| %s | %,d of %,d%s | %d of %d | %,.1f KiB | %,.2f KiB | %,.0f → %,.0f MiB | %,d |%n",
                    row.stack(), row.opened(), row.target(), row.firstFailure() == null ? "" : " (" + row.firstFailure() + ")",
                    row.answered(), row.checked(), row.heapPerSession() / 1024, row.directPerSession() / 1024,
                    row.baselineHeap() / 1048576.0, row.heapAtTarget() / 1048576.0, row.sessionsPerGibExtrapolated()));
        }
        md.append(String.format(Locale.ROOT, "%n### Handshakes per second (%d clients connecting, one echo, close; %d s each)%n%n",
                options.handshakeClients(), options.handshakeTime().toSeconds()));
        md.append("| stack | server verifies | handshakes/s | p50 | p99 | server CPU per handshake | failures |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        for (CapacityRun.HandshakeRate row : rates) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.2f ms | %.2f ms | %.2f ms | %d |%n", row.stack(),
                    "mock".equals(row.verifier()) ? "mock attestation" : "SEV-SNP report, cached collateral", row.perSecond(),
                    row.p50Millis(), row.p99Millis(), row.serverCpuMillisPerHandshake(), row.failures()));
        }
        md.append("\n### Past the limits\n\n| stack | one session over max-sessions | established sessions then answering |"
                + " one handshake over max-pending-handshakes | established sessions then answering | once the stalled handshakes"
                + " closed |\n|---|---|---:|---|---:|---|\n");
        for (CapacityRun.Limits row : limits) {
            md.append(String.format(Locale.ROOT, "| %s | %s (max %d) | %d of %d | %s (max %d) | %d of %d | %s |%n", row.stack(),
                    row.overSessions(), row.maxSessions(), row.answeringAtMaxSessions(), row.maxSessions(), row.overPending(),
                    row.maxPending(), row.answeringAtMaxPending(), row.establishedAtMaxPending(), row.afterPendingFreed()));
        }
        return md.toString();
    }
}
