package dev.securechannel.bench.report;

import dev.securechannel.bench.report.Targets.Comparison;
import dev.securechannel.bench.report.Targets.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The reference crate on the same machine in the same run: {@code bench/run-report.sh
 * --reference PATH} alternates rounds of the reference harness's {@code bench} and of our
 * in-memory benchmarks that measure the same things, and keeps each round's raw output in one
 * directory ({@code bench/target/report/reference}):
 * <ul>
 *   <li>{@code round-N-reference.txt}: the harness's output ({@link ReferenceOutput});</li>
 *   <li>{@code round-N-ours*.json}: JMH JSON results of {@code InMemoryTransportBenchmark}
 *       ({@code handshakePooledKeys}, {@code handshake}, {@code roundTrip} and
 *       {@code oneWayStreaming}, {@code mode=secure}), one or more files per round.</li>
 * </ul>
 * Each figure takes, per round, the reference's median and our p50 (for throughput: bytes per
 * second at the median time per burst), and reports the median across rounds of each side and
 * the ratio of those medians: ours over the reference's. For times below 1 means we are faster;
 * for throughput (our rate over the reference's rate) above 1 means we are faster.
 *
 * @param measured     whether any round of the reference produced figures
 * @param unavailable  why the section has no figures, when not measured
 * @param harness      the harness binary as the run names it ({@code referenceHarness} of run.json), or empty
 * @param quick        whether the run was a quick one
 * @param rounds       rounds found (reference and ours each)
 * @param comparisons  one per figure and variant
 * @param targets      the targets against the reference, met/missed/not measured
 * @param inputs       the files read
 */
public record SameRunReference(boolean measured, String unavailable, String harness, boolean quick, int rounds,
                               List<Compared> comparisons, List<Target> targets, List<String> inputs) {

    /** Handshake p50 over the reference's (at most). */
    public static final double HANDSHAKE_RATIO = 0.7;
    /** Round trip p50 of 1,536 B and 384 KiB over the reference's (at most). */
    public static final double ROUND_TRIP_RATIO = 0.7;
    /** 1 MiB streamed one way, our rate over the reference's, ChaCha20-Poly1305 (at least). */
    public static final double STREAM_CHACHA20_RATE_RATIO = 2.0;
    /** 1 MiB streamed one way, our rate over the reference's, AES-256-GCM against the reference's ChaCha20-Poly1305 (at least). */
    public static final double STREAM_AES_256_GCM_RATE_RATIO = 3.0;

    /** The round-trip sizes compared, as the harness measures them. */
    static final List<Integer> ROUND_TRIP_SIZES = List.of(1536, 4096, 393216);
    /** The streamed message size compared. */
    static final int STREAM_SIZE = 1024 * 1024;

    private static final Pattern REFERENCE_FILE = Pattern.compile("round-(\\d+)-reference\\.txt");
    private static final Pattern OURS_FILE = Pattern.compile("round-(\\d+)-ours.*\\.json");

    /**
     * One compared figure.
     *
     * @param id              a stable identifier (for the JSON)
     * @param metric          what is compared, in words
     * @param throughput      whether values are bytes per second (else microseconds)
     * @param referenceMethod how the reference measured it
     * @param oursMethod      how we measured it
     * @param backend         our crypto backend ({@link CryptoNames#backend})
     * @param algorithm       our record AEAD (the reference's is always ChaCha20-Poly1305)
     * @param reference       the reference's value per round (NaN where that round lacks it)
     * @param ours            our value per round (NaN where that round lacks it)
     * @param referenceCpuOthers CPU other processes used during each reference round, in cores (NaN if not recorded)
     * @param oursCpuOthers   cpu.others of each round's JMH result (NaN if not recorded)
     */
    public record Compared(String id, String metric, boolean throughput, String referenceMethod, String oursMethod,
                         String backend, String algorithm, double[] reference, double[] ours,
                         double[] referenceCpuOthers, double[] oursCpuOthers) {

        /** Median across rounds of the reference's values, NaN if none. */
        public double referenceMedian() {
            return median(reference);
        }

        /** Median across rounds of our values, NaN if none. */
        public double oursMedian() {
            return median(ours);
        }

        /** Ours over the reference's, of the medians: time ratio (below 1 faster) or rate ratio (above 1 faster). */
        public double ratio() {
            return oursMedian() / referenceMedian();
        }

        /** The ratio of one round's values. */
        public double ratio(int round) {
            return ours[round] / reference[round];
        }

        /** Which way the ratio reads. */
        public String ratioMeaning() {
            return throughput ? "our rate / the reference's rate (above 1: we move more bytes per second)"
                    : "our time / the reference's time (below 1: we are faster)";
        }
    }

    /** The median of the values that are not NaN; NaN if none. */
    static double median(double[] values) {
        double[] present = Arrays.stream(values).filter(value -> !Double.isNaN(value)).sorted().toArray();
        if (present.length == 0) {
            return Double.NaN;
        }
        int middle = present.length / 2;
        return present.length % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
    }

    /** How to get this section, for a report without it. */
    public static String howToMeasure() {
        return "Not measured in this run. Build the reference harness (`rust-interop`, see the README's benchmark section) "
                + "and run `bench/run-report.sh [--quick] --reference PATH` with PATH that binary: the script alternates rounds of the "
                + "reference's `bench` and of our in-memory benchmarks on this machine, and keeps their raw outputs in "
                + "`bench/target/report/reference/`.";
    }

    /**
     * Reads the rounds in {@code dir} (null or absent: the section says how to measure it).
     *
     * @param harness  the harness as the run names it, or empty
     * @param quick    whether the run was quick
     * @param warnings where unreadable files are reported
     */
    public static SameRunReference read(@Nullable Path dir, String harness, boolean quick, List<String> warnings) {
        if (dir == null || !Files.isDirectory(dir)) {
            return new SameRunReference(false, howToMeasure(), harness, quick, 0, List.of(), List.of(), List.of());
        }
        Map<Integer, ReferenceOutput> references = new TreeMap<>();
        Map<Integer, List<JmhResult>> ours = new TreeMap<>();
        List<String> inputs = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        } catch (IOException e) {
            warnings.add(dir + ": " + e.getMessage());
            files = List.of();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher reference = REFERENCE_FILE.matcher(name);
            Matcher our = OURS_FILE.matcher(name);
            try {
                if (reference.matches()) {
                    references.put(Integer.parseInt(reference.group(1)), ReferenceOutput.parse(Files.readAllLines(file)));
                    inputs.add(name);
                } else if (our.matches()) {
                    ours.computeIfAbsent(Integer.parseInt(our.group(1)), round -> new ArrayList<>()).addAll(JmhResult.read(file, false));
                    inputs.add(name);
                }
            } catch (IOException | RuntimeException e) {
                warnings.add("reference/" + name + ": " + e.getMessage());
            }
        }
        return of(references, ours, harness, quick, inputs);
    }

    /** Builds the comparison from parsed rounds, keyed by round number. */
    static SameRunReference of(Map<Integer, ReferenceOutput> references, Map<Integer, List<JmhResult>> ours,
                               String harness, boolean quick, List<String> inputs) {
        Set<Integer> roundNumbers = new java.util.TreeSet<>(references.keySet());
        roundNumbers.addAll(ours.keySet());
        List<Integer> rounds = List.copyOf(roundNumbers);
        boolean measured = references.values().stream().anyMatch(output -> !output.isEmpty());
        if (rounds.isEmpty()) {
            return new SameRunReference(false, howToMeasure(), harness, quick, 0, List.of(), List.of(), List.copyOf(inputs));
        }
        String unavailable = measured ? "" : "Not measured: the reference harness produced no figures in this run (see its raw outputs, "
                + "`round-N-reference.txt`, in `bench/target/report/reference/`).";

        List<ReferenceOutput> referenceRounds = rounds.stream()
                .map(round -> references.getOrDefault(round, ReferenceOutput.parse(List.of()))).toList();
        List<List<JmhResult>> ourRounds = rounds.stream().map(round -> ours.getOrDefault(round, List.of())).toList();
        List<JmhResult> allOurs = ourRounds.stream().flatMap(List::stream).toList();
        Set<String> backends = CryptoNames.backends(allOurs);
        boolean severalBackends = backends.size() > 1;

        List<Compared> figures = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        for (String backend : backends) {
            String suffix = severalBackends ? " (backend " + backend + ")" : "";
            String idSuffix = severalBackends ? "-" + backend : "";
            Predicate<JmhResult> ofBackend = result -> CryptoNames.backend(result).equals(backend);
            Predicate<JmhResult> chacha = ofBackend.and(result -> CryptoNames.algorithm(result).equals(CryptoNames.CHACHA20_POLY1305));

            Compared handshake = figure("handshake-p50" + idSuffix, "Handshake p50, mock attestation, keys generated inline" + suffix, false,
                    "accept and connect joined in one task over a fresh 64 KiB duplex (the crate's benches/handshake.rs method)",
                    "`InMemoryTransportBenchmark.handshake`: connect on the benchmark thread, accept on a second thread, "
                            + "keys generated inline (the starter's default)",
                    backend, CryptoNames.CHACHA20_POLY1305, referenceRounds, ReferenceOutput::handshakeOneTaskMicros, ourRounds,
                    chacha.and(result -> result.is(JdkFigures.IN_MEMORY, "handshake")), 0);
            figures.add(handshake);
            figures.add(figure("handshake-pooled-keys-p50" + idSuffix, "Handshake p50, mock attestation, ephemeral keys from the pool" + suffix, false,
                    "the responder spawned as its own task (may run on the other worker thread)",
                    "`InMemoryTransportBenchmark.handshakePooledKeys`: connect on the benchmark thread, accept on a second thread, "
                            + "keys from the pool (`secure-channel.key-pool.enabled=true`)",
                    backend, CryptoNames.CHACHA20_POLY1305, referenceRounds, ReferenceOutput::handshakeSpawnedMicros, ourRounds,
                    chacha.and(result -> result.is(JdkFigures.IN_MEMORY, "handshakePooledKeys")), 0));
            targets.add(target("reference-handshake-p50" + idSuffix, "Handshake p50 (keys inline) over the reference's (one task)" + suffix,
                    Comparison.AT_MOST, HANDSHAKE_RATIO, handshake));

            for (String algorithm : streamedAlgorithms(allOurs, ofBackend)) {
                // ChaCha20-Poly1305 is like for like with the reference; AES-256-GCM is what our peers negotiate by default.
                boolean base = algorithm.equals(CryptoNames.CHACHA20_POLY1305);
                String algorithmId = base ? "" : "-" + algorithm.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
                String algorithmLabel = base ? "" : ", " + algorithm + " (the reference: ChaCha20-Poly1305)";
                Predicate<JmhResult> ofAlgorithm = ofBackend.and(result -> CryptoNames.algorithm(result).equals(algorithm));
                for (int size : ROUND_TRIP_SIZES) {
                    Compared roundTrip = figure("round-trip-" + size + algorithmId + idSuffix,
                            "Round trip " + MarkdownReport.size(size) + " p50" + algorithmLabel + suffix, false,
                            "echo task on the runtime, client send + recv, 1 MiB duplex (the crate's confidential_overhead.rs method)",
                            "`InMemoryTransportBenchmark.roundTrip`, mode=secure: the peer echoes from its own thread",
                            backend, algorithm, referenceRounds, output -> output.roundTrip(size), ourRounds,
                            ofAlgorithm.and(result -> result.is(JdkFigures.IN_MEMORY, "roundTrip", "mode", "secure", "size", String.valueOf(size))), 0);
                    figures.add(roundTrip);
                    if (size != 4096) {
                        targets.add(target("reference-round-trip-" + size + algorithmId + idSuffix,
                                "Round trip " + MarkdownReport.size(size) + " p50 over the reference's" + algorithmLabel + suffix,
                                Comparison.AT_MOST, ROUND_TRIP_RATIO, roundTrip));
                    }
                }
            }

            for (String algorithm : streamedAlgorithms(allOurs, ofBackend)) {
                String algorithmId = algorithm.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
                Compared stream = figure("one-way-1mib-streamed-" + algorithmId + idSuffix,
                        "One way 1 MiB streamed, " + algorithm + (algorithm.equals(CryptoNames.CHACHA20_POLY1305) ? "" : " (the reference: ChaCha20-Poly1305)") + suffix,
                        true, "1 MiB messages sent back to back over a 2 MiB duplex, a drain task decrypts; rate until the last is decrypted",
                        "`InMemoryTransportBenchmark.oneWayStreaming`, mode=secure, 1 MiB messages, the next sent while the peer drains the previous",
                        backend, algorithm, referenceRounds, output -> output.oneWay(STREAM_SIZE), ourRounds,
                        ofBackend.and(result -> CryptoNames.algorithm(result).equals(algorithm))
                                .and(result -> result.is(JdkFigures.IN_MEMORY, "oneWayStreaming", "mode", "secure", "size", String.valueOf(STREAM_SIZE))),
                        STREAM_SIZE);
                figures.add(stream);
                if (algorithm.equals(CryptoNames.CHACHA20_POLY1305)) {
                    targets.add(target("reference-one-way-1mib-chacha20" + idSuffix,
                            "1 MiB streamed one way, ChaCha20-Poly1305, our rate over the reference's" + suffix,
                            Comparison.AT_LEAST, STREAM_CHACHA20_RATE_RATIO, stream));
                } else if (algorithm.equals(CryptoNames.AES_256_GCM)) {
                    targets.add(target("reference-one-way-1mib-aes256gcm" + idSuffix,
                            "1 MiB streamed one way, AES-256-GCM, our rate over the reference's (ChaCha20-Poly1305)" + suffix,
                            Comparison.AT_LEAST, STREAM_AES_256_GCM_RATE_RATIO, stream));
                }
            }
        }
        return new SameRunReference(measured, unavailable, harness, quick, rounds.size(), List.copyOf(figures), List.copyOf(targets),
                List.copyOf(inputs));
    }

    /** The algorithms our streamed results measured, ChaCha20-Poly1305 and AES-256-GCM always (their targets), others after. */
    private static List<String> streamedAlgorithms(List<JmhResult> results, Predicate<JmhResult> ofBackend) {
        Set<String> algorithms = new LinkedHashSet<>(List.of(CryptoNames.CHACHA20_POLY1305, CryptoNames.AES_256_GCM));
        results.stream().filter(ofBackend).filter(result -> result.method().equals("oneWayStreaming"))
                .map(CryptoNames::algorithm).sorted(Comparator.naturalOrder()).forEach(algorithms::add);
        return List.copyOf(algorithms);
    }

    /**
     * One figure across rounds.
     *
     * @param bytesPerOperation 0 for times, else the bytes one operation moves (our value becomes a rate)
     */
    private static Compared figure(String id, String metric, boolean throughput, String referenceMethod, String oursMethod,
                                 String backend, String algorithm, List<ReferenceOutput> references,
                                 java.util.function.ToDoubleFunction<ReferenceOutput> referenceValue,
                                 List<List<JmhResult>> ours, Predicate<JmhResult> ourResult, long bytesPerOperation) {
        int rounds = references.size();
        double[] reference = new double[rounds];
        double[] our = new double[rounds];
        double[] referenceCpu = new double[rounds];
        double[] ourCpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            reference[i] = referenceValue.applyAsDouble(references.get(i));
            referenceCpu[i] = references.get(i).cpuOthers();
            our[i] = Double.NaN;
            ourCpu[i] = Double.NaN;
            for (JmhResult result : ours.get(i)) {
                if (ourResult.test(result) && !Double.isNaN(result.microsPerUnit())) {
                    Figure summary = Figure.of(result);
                    our[i] = bytesPerOperation > 0 ? summary.bytesPerSecond(bytesPerOperation) : summary.p50Micros();
                    ourCpu[i] = summary.cpuOthers();
                    break;
                }
            }
        }
        return new Compared(id, metric, throughput, referenceMethod, oursMethod, backend, algorithm, reference, our, referenceCpu, ourCpu);
    }

    private static Target target(String id, String description, Comparison comparison, double threshold, Compared figure) {
        double ratio = figure.ratio();
        String detail = Double.isNaN(ratio) ? (Double.isNaN(figure.referenceMedian()) ? "the reference's figure is missing" : "our figure is missing")
                : figure.throughput()
                ? String.format(Locale.ROOT, "%s over %s (medians of the rounds)", MarkdownReport.rate(figure.oursMedian()), MarkdownReport.rate(figure.referenceMedian()))
                : String.format(Locale.ROOT, "%s over %s (medians of the rounds)", MarkdownReport.micros(figure.oursMedian()), MarkdownReport.micros(figure.referenceMedian()));
        return new Target(id, description, comparison, threshold, "x", ratio, detail);
    }
}
