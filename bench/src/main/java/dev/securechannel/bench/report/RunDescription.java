package dev.securechannel.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the report says about the run and the machine: read from the run description
 * ({@code run.json}, written by {@code bench/run-report.sh}), with anything it leaves out read
 * from this machine ({@code /proc/cpuinfo}, {@code /proc/meminfo}, the kernel release).
 *
 * <p>{@code run.json} fields, all optional: {@code command}, {@code profile} ({@code quick} or
 * {@code full}), {@code startedAt}, {@code finishedAt} (ISO-8601), {@code durationSeconds},
 * {@code gitCommit}, {@code cpuModel}, {@code cores}, {@code memory}, {@code kernel},
 * {@code pinnedCpus} (the CPU list of the pinned runs, as given to {@code taskset -c}),
 * {@code notes}, {@code cpuFlags} (the {@code flags} line of {@code /proc/cpuinfo}),
 * {@code referenceHarness} (the reference harness of {@code --reference}, if given).
 *
 * @param command         the command that produced the run
 * @param profile         quick or full
 * @param startedAt       when the run started
 * @param finishedAt      when the benchmarks finished
 * @param durationSeconds wall time of the run, NaN if unknown
 * @param gitCommit       the commit benchmarked (with "-dirty" for uncommitted changes)
 * @param cpuModel        the CPU model
 * @param cores           logical CPUs
 * @param memory          total memory, in words
 * @param kernel          the kernel release
 * @param pinnedCpus      CPUs of the pinned runs, empty if none
 * @param notes           free text
 * @param cpuFlags        the CPU's {@code /proc/cpuinfo} flags, null when neither recorded nor readable here
 * @param referenceHarness the reference harness the run compared against, empty if none
 */
public record RunDescription(String command, String profile, String startedAt, String finishedAt, double durationSeconds,
                             String gitCommit, String cpuModel, int cores, String memory, String kernel,
                             String pinnedCpus, String notes, @Nullable String cpuFlags, String referenceHarness) {

    private static final String UNKNOWN = "unknown";

    /** Whether this was a {@code --quick} run, whose figures are only indicative. */
    public boolean quick() {
        return "quick".equals(profile);
    }

    /**
     * Reads {@code file} (or nothing, when null or absent) and fills the gaps from this machine.
     *
     * @throws IOException when the file exists but is not a JSON object
     */
    public static RunDescription read(@Nullable Path file) throws IOException {
        JsonNode node = JsonMapper.builder().build().createObjectNode();
        if (file != null && Files.exists(file)) {
            try {
                node = JsonMapper.builder().build().readTree(Files.readAllBytes(file));
            } catch (JacksonException e) {
                throw new IOException(file + " is not JSON: " + e.getOriginalMessage(), e);
            }
            if (!node.isObject()) {
                throw new IOException(file + " is not a JSON object");
            }
        }
        return new RunDescription(
                text(node, "command", "not recorded"),
                text(node, "profile", UNKNOWN),
                text(node, "startedAt", UNKNOWN),
                text(node, "finishedAt", UNKNOWN),
                node.path("durationSeconds").isNumber() ? node.path("durationSeconds").doubleValue() : Double.NaN,
                text(node, "gitCommit", UNKNOWN),
                node.hasNonNull("cpuModel") ? node.path("cpuModel").asString() : cpuModelOfThisMachine(),
                node.path("cores").isNumber() ? node.path("cores").intValue() : Runtime.getRuntime().availableProcessors(),
                node.hasNonNull("memory") ? node.path("memory").asString() : memoryOfThisMachine(),
                node.hasNonNull("kernel") ? node.path("kernel").asString() : System.getProperty("os.name") + " " + System.getProperty("os.version"),
                text(node, "pinnedCpus", ""),
                text(node, "notes", ""),
                node.hasNonNull("cpuFlags") ? node.path("cpuFlags").asString() : cpuFlagsOfThisMachine(),
                text(node, "referenceHarness", ""));
    }

    private static String text(JsonNode node, String field, String absent) {
        return node.hasNonNull(field) ? node.path(field).asString() : absent;
    }

    private static String cpuModelOfThisMachine() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return UNKNOWN;
    }

    private static @Nullable String cpuFlagsOfThisMachine() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("flags")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return null;
    }

    private static String memoryOfThisMachine() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
            }
        }
        return UNKNOWN;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
