package dev.securechannel.bench.report;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the reference harness's {@code bench} command (the Rust crate
 * confidential-ml-transport, in-process over {@code tokio::io::duplex}), parsed from its text
 * output, one line per figure:
 * <pre>
 * handshake (mock, duplex, one task; benches/handshake.rs method) n=1000: median 144.5 us  p99 182.7 us  mean 146.6 us
 * handshake (mock, duplex, responder spawned task) n=1000: median 185.7 us  p99 225.3 us  mean 184.9 us
 * round trip 1536 B (duplex, echo task; confidential_overhead.rs method) n=10000: median 30.8 us  p99 41.4 us  mean 30.4 us
 * one-way 1048576 B x 256 (duplex 2 MiB, drain task): 455 MB/s until last decrypted (461 MB/s until last write returned)
 * # cpu.others 0.02 cores
 * </pre>
 * The last line is not the harness's: {@code bench/run-report.sh} appends it (CPU other
 * processes used while the harness ran). Lines it does not know are ignored.
 *
 * @param handshakeOneTaskMicros     median handshake, accept and connect joined in one task (the crate's own bench method), NaN if absent
 * @param handshakeSpawnedMicros     median handshake, the responder spawned as its own task, NaN if absent
 * @param roundTripMicros            median round trip by payload size
 * @param oneWayBytesPerSecond       one-way throughput by message size, until the last message was decrypted
 * @param cpuOthers                  CPU other processes used meanwhile, in cores, NaN if not recorded
 */
public record ReferenceOutput(double handshakeOneTaskMicros, double handshakeSpawnedMicros, Map<Integer, Double> roundTripMicros,
                              Map<Integer, Double> oneWayBytesPerSecond, double cpuOthers) {

    private static final Pattern HANDSHAKE = Pattern.compile("^handshake \\((.*)\\) n=\\d+: median ([0-9.]+) us");
    private static final Pattern ROUND_TRIP = Pattern.compile("^round trip (\\d+) B .* median ([0-9.]+) us");
    private static final Pattern ONE_WAY = Pattern.compile("^one-way (\\d+) B x \\d+ .*: ([0-9.]+) MB/s until last decrypted");
    private static final Pattern CPU_OTHERS = Pattern.compile("^# cpu\\.others ([0-9.]+)");

    /** Parses the harness's output; an output without any figure parses to an empty run. */
    public static ReferenceOutput parse(List<String> lines) {
        double oneTask = Double.NaN;
        double spawned = Double.NaN;
        double cpuOthers = Double.NaN;
        Map<Integer, Double> roundTrips = new TreeMap<>();
        Map<Integer, Double> oneWay = new TreeMap<>();
        for (String raw : lines) {
            String line = raw.trim();
            Matcher matcher = HANDSHAKE.matcher(line);
            if (matcher.find()) {
                double median = Double.parseDouble(matcher.group(2));
                if (matcher.group(1).contains("spawned")) {
                    spawned = median;
                } else {
                    oneTask = median;
                }
                continue;
            }
            matcher = ROUND_TRIP.matcher(line);
            if (matcher.find()) {
                roundTrips.put(Integer.parseInt(matcher.group(1)), Double.parseDouble(matcher.group(2)));
                continue;
            }
            matcher = ONE_WAY.matcher(line);
            if (matcher.find()) {
                oneWay.put(Integer.parseInt(matcher.group(1)), Double.parseDouble(matcher.group(2)) * 1e6);
                continue;
            }
            matcher = CPU_OTHERS.matcher(line);
            if (matcher.find()) {
                cpuOthers = Double.parseDouble(matcher.group(1));
            }
        }
        return new ReferenceOutput(oneTask, spawned, Collections.unmodifiableMap(roundTrips), Collections.unmodifiableMap(oneWay), cpuOthers);
    }

    /** Whether the output held at least one figure. */
    public boolean isEmpty() {
        return Double.isNaN(handshakeOneTaskMicros) && Double.isNaN(handshakeSpawnedMicros) && roundTripMicros.isEmpty() && oneWayBytesPerSecond.isEmpty();
    }

    /** The median round trip of a size, NaN if absent. */
    public double roundTrip(int size) {
        return roundTripMicros.getOrDefault(size, Double.NaN);
    }

    /** The one-way throughput of a size, NaN if absent. */
    public double oneWay(int size) {
        return oneWayBytesPerSecond.getOrDefault(size, Double.NaN);
    }
}
