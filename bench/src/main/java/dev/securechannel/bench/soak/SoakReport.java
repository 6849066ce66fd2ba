package dev.securechannel.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes a soak's samples as CSV, its watched series as an SVG plot, and its verdict as Markdown. */
final class SoakReport {

    /** The series the plot shows: what must stay level. */
    private static final List<String> PLOTTED = List.of("heap_after_gc_bytes", "direct_bytes", "netty_direct_bytes", "threads",
            "open_fds", "server_sessions", "server_registry", "client_sessions");

    private SoakReport() {
    }

    static void write(SoakRun.Options options, List<double[]> samples, double[] drained, List<GrowthCheck.Verdict> verdicts,
                      List<String> failures) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", ResourceSampler.COLUMNS)).append('\n');
        for (double[] row : samples) {
            csv.append(csvRow(row)).append('\n');
        }
        Files.writeString(options.out().resolve("soak.csv"), csv);
        List<Double> seconds = SoakRun.column(samples, "elapsed_s");
        List<List<Double>> plotted = PLOTTED.stream().map(series -> SoakRun.column(samples, series)).collect(Collectors.toList());
        String title = String.format(Locale.ROOT, "secure-channel soak: %s, %s, %d clients, %s (%s %s)", options.stack(),
                options.duration(), options.clients(), Instant.now(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
        Files.writeString(options.out().resolve("soak.svg"),
                SoakPlot.svg(title, seconds, PLOTTED, plotted, options.warmUp().toMillis() / 1000.0));
        Files.writeString(options.out().resolve("soak-summary.md"), summary(options, drained, verdicts, failures));
    }

    static String summary(SoakRun.Options options, double[] drained, List<GrowthCheck.Verdict> verdicts, List<String> failures) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "# Soak: %s%n%n%s on %s, %d clients, payloads up to %,d bytes, %.0f%% of sessions vanish,"
                        + " warm-up %s left out of the growth checks; JDK %s (%s), %d CPUs, max heap %,d MiB.%n%n",
                failures.isEmpty() ? "passed" : "FAILED", options.duration(), options.stack(), options.clients(), options.maxFrameSize(),
                options.vanishShare() * 100, options.warmUp(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        text.append("| counter | at the end |\n|---|---:|\n");
        for (String counter : List.of("sessions_opened", "requests_answered", "tensors_answered", "heartbeats", "vanished_in_handshake",
                "vanished_in_session", "server_messages", "order_violations", "failures", "server_registry", "client_sessions")) {
            text.append(String.format(Locale.ROOT, "| %s | %,.0f |%n", counter, drained[ResourceSampler.COLUMNS.indexOf(counter)]));
        }
        text.append("\nGrowth after the warm-up (least-squares rise over the window against its allowance):\n\n```\n");
        verdicts.forEach(verdict -> text.append(verdict.describe()).append('\n'));
        text.append("```\n");
        if (!failures.isEmpty()) {
            text.append("\nFailures:\n\n");
            failures.forEach(failure -> text.append("- ").append(failure).append('\n'));
        }
        return text.toString();
    }

    private static String csvRow(double[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            line.append(i == 0 ? "" : ",").append(i == 0 ? String.format(Locale.ROOT, "%.3f", row[i]) : String.valueOf((long) row[i]));
        }
        return line.toString();
    }
}
