package dev.securechannel.bench.soak;

import dev.securechannel.bench.LeastSquares;
import java.util.Arrays;
import java.util.List;

/**
 * Decides whether a sampled series grows without bound: after a warm-up, a least-squares line
 * through the samples may rise over the window by no more than an allowance, the larger of a
 * fixed amount and a fraction of the series' median. A series that steps up while caches and
 * pools fill and then stays level passes; one that keeps climbing, however slowly, by more
 * than its allowance over the run fails, and a longer run makes the same leak more visible.
 *
 * @param series   the column name in the CSV
 * @param floor    growth always allowed over the window, in the series' unit
 * @param fraction growth allowed as a fraction of the median (0 for counts such as threads)
 */
record GrowthCheck(String series, double floor, double fraction) {

    /** The outcome for one series. */
    record Verdict(String series, int samples, double median, double growth, double allowance, boolean bounded) {

        String describe() {
            return String.format("%-26s %s: rise over the window %,.0f, allowed %,.0f (median %,.0f, %d samples)",
                    series, bounded ? "level" : "GROWS", growth, allowance, median, samples);
        }
    }

    /**
     * Judges the samples taken at or after {@code warmUpSeconds}.
     *
     * @param seconds the sample times
     * @param values  the series' values at those times
     */
    Verdict judge(List<Double> seconds, List<Double> values, double warmUpSeconds) {
        int first = 0;
        while (first < seconds.size() && seconds.get(first) < warmUpSeconds) {
            first++;
        }
        int n = seconds.size() - first;
        if (n < 3) {
            throw new IllegalArgumentException("need at least 3 samples after the warm-up of " + warmUpSeconds + " s for " + series
                    + ", have " + n + ": run longer or sample more often");
        }
        List<Double> windowSeconds = seconds.subList(first, seconds.size());
        List<Double> windowValues = values.subList(first, values.size());
        double slope = LeastSquares.slope(windowSeconds, windowValues);
        double window = seconds.get(seconds.size() - 1) - seconds.get(first);
        double growth = slope * window;
        double median = median(windowValues);
        double allowance = Math.max(floor, fraction * median);
        return new Verdict(series, n, median, growth, allowance, growth <= allowance);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
