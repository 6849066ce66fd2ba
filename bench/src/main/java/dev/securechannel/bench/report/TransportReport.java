package dev.securechannel.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Generates the Transport Performance Report from JMH JSON results:
 * {@code transport-performance-report.md} and {@code transport-performance-report.json}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.securechannel.bench.report.TransportReport \
 *     [--results-dir DIR] [--run FILE] [--inference FILE] [--capacity FILE] [--reference-dir DIR] [--out DIR]
 *     [--pinned FILE]... [FILE]...
 * </pre>
 * <ul>
 *   <li>{@code --results-dir}: every {@code *.json} in it holding JMH results (files whose
 *       name contains {@code -pinned} are CPU-pinned runs); default {@code bench/target/report}
 *       when no result file is named.</li>
 *   <li>{@code FILE}, {@code --pinned FILE}: JMH result files ({@code -rf json}), unpinned or pinned.</li>
 *   <li>{@code --run}: the run description ({@link RunDescription}); default {@code run.json} in
 *       the results directory.</li>
 *   <li>{@code --inference}: MiniLM inference timings ({@link InferenceTimes}); default
 *       {@code bench/target/minilm-inference.json}. Absent: section 5 says "not measured".</li>
 *   <li>{@code --capacity}: the capacity run's Markdown section ({@link CapacitySection},
 *       written by {@code bench/run-capacity.sh}); default {@code bench/target/capacity/capacity.md}.
 *       Absent: section 8 says "not measured" and how to measure it.</li>
 *   <li>{@code --reference-dir}: the rounds of the reference crate measured in the same run
 *       ({@link SameRunReference}); default {@code reference} in the results directory. Absent:
 *       that section says how to measure it.</li>
 *   <li>{@code --out}: where the report goes; default {@code bench/target}.</li>
 * </ul>
 * The JDKs' versions, vendors and intrinsic flags come from {@code jdk-flags-<feature>.txt} in
 * the results directory ({@link Platform}).
 * Inputs that cannot be read are listed in the report and skipped; the report is always written.
 * The results are grouped by JDK (from each result's {@code jdkVersion}); the targets use JDK 25.
 */
public final class TransportReport {

    /** The Markdown report's file name. */
    public static final String MARKDOWN_FILE = "transport-performance-report.md";
    /** The JSON report's file name. */
    public static final String JSON_FILE = "transport-performance-report.json";

    private TransportReport() {
    }

    /**
     * The command line.
     *
     * @param resultFiles   unpinned JMH result files
     * @param pinnedFiles   pinned JMH result files
     * @param resultsDir    a directory of result files, or null
     * @param runFile       the run description, or null
     * @param inferenceFile the inference timings, or null
     * @param outDir        where to write
     * @param referenceDir  the same-run reference rounds, or null
     * @param capacityFile  the capacity run's section, or null
     */
    public record Options(List<Path> resultFiles, List<Path> pinnedFiles, @Nullable Path resultsDir,
                          @Nullable Path runFile, @Nullable Path inferenceFile, Path outDir, @Nullable Path referenceDir,
                          @Nullable Path capacityFile) {

        /** Parses the arguments, applying the defaults described on {@link TransportReport}. */
        public static Options parse(String... args) {
            List<Path> files = new ArrayList<>();
            List<Path> pinned = new ArrayList<>();
            Path resultsDir = null;
            Path run = null;
            Path inference = Path.of("bench/target/minilm-inference.json");
            Path capacity = Path.of("bench/target/capacity/capacity.md");
            Path out = Path.of("bench/target");
            Path reference = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--results-dir" -> resultsDir = Path.of(value(args, ++i, arg));
                    case "--pinned" -> pinned.add(Path.of(value(args, ++i, arg)));
                    case "--run" -> run = Path.of(value(args, ++i, arg));
                    case "--inference" -> inference = Path.of(value(args, ++i, arg));
                    case "--capacity" -> capacity = Path.of(value(args, ++i, arg));
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--reference-dir" -> reference = Path.of(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        files.add(Path.of(arg));
                    }
                }
            }
            if (resultsDir == null && files.isEmpty() && pinned.isEmpty()) {
                resultsDir = Path.of("bench/target/report");
            }
            if (run == null && resultsDir != null) {
                run = resultsDir.resolve("run.json");
            }
            if (reference == null && resultsDir != null) {
                reference = resultsDir.resolve("reference");
            }
            return new Options(List.copyOf(files), List.copyOf(pinned), resultsDir, run, inference, out, reference, capacity);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }

    /** Reads the inputs, builds the report and writes both files; prints where they are. */
    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: TransportReport [--results-dir DIR] [--run FILE] [--inference FILE] [--capacity FILE]"
                    + " [--reference-dir DIR] [--out DIR] [--pinned FILE]... [FILE]...");
            System.exit(2);
            return;
        }
        ReportModel model = build(options, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        List<Path> written = write(model, options.outDir());
        model.warnings().forEach(warning -> System.err.println("warning: " + warning));
        System.out.println("Transport Performance Report: " + written.get(0) + " and " + written.get(1));
    }

    /** Reads every input named by {@code options} and computes the report. Never fails on a bad input: it becomes a warning. */
    public static ReportModel build(Options options, String generatedAt) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<JmhResult> results = new ArrayList<>();
        List<Path> unpinned = new ArrayList<>(options.resultFiles());
        List<Path> pinned = new ArrayList<>(options.pinnedFiles());
        Path resultsDir = options.resultsDir();
        if (resultsDir != null) {
            if (Files.isDirectory(resultsDir)) {
                try (Stream<Path> files = Files.list(resultsDir)) {
                    for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                        if (file.equals(options.runFile()) || file.equals(options.inferenceFile())) {
                            continue;
                        }
                        (file.getFileName().toString().contains("-pinned") ? pinned : unpinned).add(file);
                    }
                }
            } else {
                warnings.add(resultsDir + ": no such directory");
            }
        }
        readAll(unpinned, false, results, inputs, warnings);
        readAll(pinned, true, results, inputs, warnings);

        RunDescription run;
        try {
            run = RunDescription.read(options.runFile());
            if (options.runFile() != null && Files.exists(options.runFile())) {
                inputs.add(options.runFile().getFileName().toString());
            }
        } catch (IOException e) {
            warnings.add(e.getMessage());
            run = RunDescription.read(null);
        }

        InferenceTimes inference = null;
        String inferenceProblem = "";
        try {
            inference = InferenceTimes.read(options.inferenceFile());
            if (inference != null) {
                inputs.add(options.inferenceFile().getFileName().toString());
            }
        } catch (IOException e) {
            inferenceProblem = e.getMessage();
            warnings.add(e.getMessage());
        }
        CapacitySection capacity = null;
        try {
            capacity = CapacitySection.read(options.capacityFile());
            if (capacity != null) {
                inputs.add(capacity.fileName());
            }
        } catch (IOException e) {
            warnings.add(e.getMessage());
        }
        Platform platform = Platform.read(run.cpuFlags(), resultsDir, warnings);
        SameRunReference sameRun = SameRunReference.read(options.referenceDir(), run.referenceHarness(), run.quick(), warnings);
        sameRun.inputs().forEach(name -> inputs.add("reference/" + name));
        return ReportModel.build(generatedAt, run, ClasspathVersions.read(), results, inference, inferenceProblem, inputs, warnings,
                platform, sameRun, capacity);
    }

    private static void readAll(List<Path> files, boolean pinned, List<JmhResult> results, List<String> inputs, List<String> warnings) {
        for (Path file : files) {
            try {
                results.addAll(JmhResult.read(file, pinned));
                inputs.add(file.getFileName().toString());
            } catch (IOException | RuntimeException e) {
                warnings.add(file.getFileName() + ": " + e.getMessage());
            }
        }
    }

    /** Writes the Markdown and JSON reports into {@code outDir}; returns their paths. */
    public static List<Path> write(ReportModel model, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path markdown = outDir.resolve(MARKDOWN_FILE);
        Path json = outDir.resolve(JSON_FILE);
        Files.writeString(markdown, MarkdownReport.render(model));
        Files.writeString(json, JsonReport.render(model));
        return List.of(markdown, json);
    }
}
