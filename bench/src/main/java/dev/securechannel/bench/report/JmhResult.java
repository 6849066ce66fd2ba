package dev.securechannel.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One benchmark result of a JMH JSON file ({@code -rf json}): the benchmark and its parameters,
 * the JVM it ran on, the settings, and the primary metric with what the report needs of it.
 *
 * @param className              the benchmark class's simple name (nested classes keep their outer name)
 * @param method                 the benchmark method
 * @param mode                   JMH's mode: {@code sample}, {@code avgt}, {@code thrpt} or {@code ss}
 * @param params                 the {@code @Param} values
 * @param jdkVersion             {@code jdkVersion} of the run, for example {@code 25.0.3}
 * @param vm                     VM name and version
 * @param jvm                    the java executable
 * @param jvmArgs                arguments of the forked JVM
 * @param jmhVersion             JMH's version
 * @param settings               forks, warm-up and measurement, in words
 * @param scoreUnit              the unit of the score, for example {@code us/op}
 * @param score                  JMH's score (the mean)
 * @param scoreConfidence        JMH's 99.9% confidence interval of the score: {low, high}
 * @param percentiles            JMH's percentiles of the score, keyed by percent (50.0, 95.0, 99.0, ...)
 * @param iterationScores        every measurement iteration's score, all forks
 * @param histogram              for sampled results: every sample as {value, count} pairs, sorted by value
 * @param cpuOthers              the {@code cpu.others} secondary metric of {@code CpuTimeProfiler}: CPU
 *                               other processes used while measuring, in cores (NaN when absent)
 * @param pinned                 whether the run was pinned to CPUs (taken from the file's name)
 * @param source                 the file it came from
 */
public record JmhResult(
        String className,
        String method,
        String mode,
        Map<String, String> params,
        String jdkVersion,
        String vm,
        String jvm,
        List<String> jvmArgs,
        String jmhVersion,
        String settings,
        String scoreUnit,
        double score,
        double[] scoreConfidence,
        Map<Double, Double> percentiles,
        double[] iterationScores,
        double[][] histogram,
        double cpuOthers,
        boolean pinned,
        String source) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The feature release of {@link #jdkVersion()} ({@code 25} for {@code 25.0.3}, {@code 17} for {@code 17.0.15}). */
    public int jdkFeature() {
        String digits = jdkVersion.replaceFirst("^1\\.", "").replaceFirst("[^0-9].*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    /** A parameter's value, or null when the benchmark has no such parameter. */
    public @Nullable String param(String name) {
        return params.get(name);
    }

    /** Whether this is {@code className.method} and every given name=value pair matches. */
    public boolean is(String benchmarkClass, String benchmarkMethod, String... nameValuePairs) {
        if (!className.equals(benchmarkClass) || !method.equals(benchmarkMethod)) {
            return false;
        }
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
            if (!nameValuePairs[i + 1].equals(params.get(nameValuePairs[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Microseconds per unit of the score ({@code us/op} is 1, {@code ms/op} 1,000), or NaN for rates. */
    public double microsPerUnit() {
        return switch (scoreUnit) {
            case "ns/op" -> 1e-3;
            case "us/op" -> 1;
            case "ms/op" -> 1e3;
            case "s/op" -> 1e6;
            default -> Double.NaN;
        };
    }

    /**
     * Reads every result of a JMH JSON file.
     *
     * @param pinned whether the file holds a CPU-pinned run
     * @throws IOException for an unreadable file or one that is not a JMH result array
     */
    public static List<JmhResult> read(Path file, boolean pinned) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new IOException(file + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!isJmhResults(root)) {
            throw new IOException(file + " is not a JMH JSON result file");
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonNode node : root.values()) {
            results.add(parse(node, pinned, file.getFileName().toString()));
        }
        return results;
    }

    /** Whether a parsed document looks like JMH's JSON output: an array of objects with a benchmark and a primary metric. */
    static boolean isJmhResults(JsonNode root) {
        if (!root.isArray()) {
            return false;
        }
        for (JsonNode node : root.values()) {
            if (!node.has("benchmark") || !node.has("primaryMetric")) {
                return false;
            }
        }
        return true;
    }

    private static JmhResult parse(JsonNode node, boolean pinned, String source) {
        String benchmark = node.path("benchmark").asString("");
        int lastDot = benchmark.lastIndexOf('.');
        String method = benchmark.substring(lastDot + 1);
        String owner = lastDot < 0 ? "" : benchmark.substring(0, lastDot);
        String className = owner.substring(owner.lastIndexOf('.') + 1);

        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> param : node.path("params").properties()) {
            params.put(param.getKey(), param.getValue().asString(""));
        }
        List<String> jvmArgs = new ArrayList<>();
        for (JsonNode arg : node.path("jvmArgs").values()) {
            jvmArgs.add(arg.asString(""));
        }

        JsonNode primary = node.path("primaryMetric");
        Map<Double, Double> percentiles = new TreeMap<>();
        for (Map.Entry<String, JsonNode> percentile : primary.path("scorePercentiles").properties()) {
            percentiles.put(Double.parseDouble(percentile.getKey()), number(percentile.getValue()));
        }
        JsonNode confidence = primary.path("scoreConfidence");
        double[] scoreConfidence = {number(confidence.path(0)), number(confidence.path(1))};

        List<Double> iterations = new ArrayList<>();
        for (JsonNode fork : primary.path("rawData").values()) {
            for (JsonNode iteration : fork.values()) {
                iterations.add(number(iteration));
            }
        }
        // rawDataHistogram: forks, then iterations, then [value, count] pairs.
        TreeMap<Double, Double> samples = new TreeMap<>();
        for (JsonNode fork : primary.path("rawDataHistogram").values()) {
            for (JsonNode iteration : fork.values()) {
                for (JsonNode pair : iteration.values()) {
                    samples.merge(number(pair.path(0)), number(pair.path(1)), Double::sum);
                }
            }
        }
        double[][] histogram = new double[samples.size()][];
        int i = 0;
        for (Map.Entry<Double, Double> sample : samples.entrySet()) {
            histogram[i++] = new double[] {sample.getKey(), sample.getValue()};
        }

        String settings = String.format("%s, %d fork(s), warm-up %d x %s, measurement %d x %s",
                modeName(node.path("mode").asString("")), node.path("forks").asInt(0),
                node.path("warmupIterations").asInt(0), node.path("warmupTime").asString("?"),
                node.path("measurementIterations").asInt(0), node.path("measurementTime").asString("?"));

        return new JmhResult(className, method, node.path("mode").asString(""), Map.copyOf(params),
                node.path("jdkVersion").asString("unknown"),
                (node.path("vmName").asString("") + " " + node.path("vmVersion").asString("")).trim(),
                node.path("jvm").asString(""), List.copyOf(jvmArgs), node.path("jmhVersion").asString("unknown"),
                settings, primary.path("scoreUnit").asString(""), number(primary.path("score")), scoreConfidence,
                Map.copyOf(percentiles), iterations.stream().mapToDouble(Double::doubleValue).toArray(), histogram,
                number(node.path("secondaryMetrics").path("cpu.others").path("score")), pinned, source);
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isString()) {
            try {
                return Double.parseDouble(node.stringValue());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static String modeName(String mode) {
        return switch (mode) {
            case "sample" -> "sample time";
            case "avgt" -> "average time";
            case "thrpt" -> "throughput";
            case "ss" -> "single shot";
            default -> mode;
        };
    }

    @Override
    public String toString() {
        return className + "." + method + params + " on JDK " + jdkVersion + (pinned ? " (pinned)" : "")
                + ": " + score + " " + scoreUnit + " [" + Arrays.toString(scoreConfidence) + "]";
    }
}
