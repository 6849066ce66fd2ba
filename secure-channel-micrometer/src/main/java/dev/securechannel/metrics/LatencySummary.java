package dev.securechannel.metrics;

/**
 * Count and latency percentiles of one kind of operation since the application started (or
 * over a recent window, see {@link SecureChannelMetrics.Recent}), in microseconds. Percentiles are estimated from a log-linear histogram whose buckets are at
 * most 12.5% wide, and never exceed the exact maximum, so {@code p50 <= p95 <= p99 <= max}.
 *
 * @param count      operations recorded
 * @param p50Micros  median
 * @param p95Micros  95th percentile
 * @param p99Micros  99th percentile
 * @param maxMicros  the slowest operation: exact since start, within 12.5% over a recent window
 */
public record LatencySummary(long count, double p50Micros, double p95Micros, double p99Micros, double maxMicros) {

    /** Nothing recorded. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);
}
