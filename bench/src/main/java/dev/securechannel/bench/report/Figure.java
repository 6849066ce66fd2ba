package dev.securechannel.bench.report;

/**
 * One measured time per operation, in microseconds, summarised for the report.
 *
 * <p>For sampled results ({@code Mode.SampleTime}) the central value is JMH's p50 and the
 * interval a distribution-free 95% confidence interval of the median, from the order statistics
 * of all samples (ranks {@code n/2 -+ 0.98 sqrt(n)}). For averaged results
 * ({@code Mode.AverageTime}, the WebSocket benchmark) there are no per-operation samples: the
 * central value is the median of the iteration means, p95 and p99 are NaN, and the interval is
 * JMH's 99.9% confidence interval of the mean.
 *
 * @param p50Micros   the median (see above)
 * @param p95Micros   the 95th percentile, NaN when not sampled
 * @param p99Micros   the 99th percentile, NaN when not sampled
 * @param ciLowMicros lower end of the interval
 * @param ciHighMicros upper end of the interval
 * @param samples     operations sampled, or iterations for averaged results
 * @param sampled     whether the figure comes from per-operation samples
 * @param cpuOthers   CPU other processes used while this was measured, in cores (NaN if unknown)
 */
public record Figure(double p50Micros, double p95Micros, double p99Micros, double ciLowMicros, double ciHighMicros,
                     long samples, boolean sampled, double cpuOthers) {

    /** z for a two-sided 95% interval. */
    private static final double Z_95 = 1.959964;

    /** Summarises a result whose score is a time per operation. */
    public static Figure of(JmhResult result) {
        double scale = result.microsPerUnit();
        double[][] histogram = result.histogram();
        if (histogram.length > 0) {
            long n = 0;
            for (double[] bucket : histogram) {
                n += (long) bucket[1];
            }
            double halfWidth = Z_95 * Math.sqrt(n) / 2;
            long lowRank = Math.max(1, (long) Math.floor(n / 2.0 - halfWidth));
            long highRank = Math.min(n, (long) Math.ceil(n / 2.0 + 1 + halfWidth));
            double p50 = result.percentiles().getOrDefault(50.0, valueAtRank(histogram, (n + 1) / 2));
            return new Figure(p50 * scale,
                    result.percentiles().getOrDefault(95.0, Double.NaN) * scale,
                    result.percentiles().getOrDefault(99.0, Double.NaN) * scale,
                    valueAtRank(histogram, lowRank) * scale, valueAtRank(histogram, highRank) * scale,
                    n, true, result.cpuOthers());
        }
        double[] iterations = result.iterationScores().clone();
        java.util.Arrays.sort(iterations);
        double median = iterations.length == 0 ? result.score()
                : iterations.length % 2 == 1 ? iterations[iterations.length / 2]
                : (iterations[iterations.length / 2 - 1] + iterations[iterations.length / 2]) / 2;
        return new Figure(median * scale, Double.NaN, Double.NaN,
                result.scoreConfidence()[0] * scale, result.scoreConfidence()[1] * scale,
                iterations.length, false, result.cpuOthers());
    }

    /** The sample at a 1-based rank of the sorted {value, count} histogram. */
    private static double valueAtRank(double[][] histogram, long rank) {
        long seen = 0;
        for (double[] bucket : histogram) {
            seen += (long) bucket[1];
            if (seen >= rank) {
                return bucket[0];
            }
        }
        return histogram[histogram.length - 1][0];
    }

    /** Bytes per second for {@code bytes} moved per operation, at the median. */
    public double bytesPerSecond(long bytes) {
        return bytes / (p50Micros * 1e-6);
    }

    /** The interval of {@link #bytesPerSecond}: {low, high} (the time interval inverted). */
    public double[] bytesPerSecondInterval(long bytes) {
        return new double[] {bytes / (ciHighMicros * 1e-6), bytes / (ciLowMicros * 1e-6)};
    }
}
