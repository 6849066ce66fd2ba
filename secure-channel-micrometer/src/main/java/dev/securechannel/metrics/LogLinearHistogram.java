package dev.securechannel.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A cumulative, lock-free histogram of non-negative longs (nanoseconds or bytes): eight
 * log-linear buckets per power of two, each at most 12.5% wide, exact below 8, values clamped
 * at 2^43 (about 2.4 hours in nanoseconds). Recording is one atomic increment and, rarely, a
 * compare-and-set of the maximum; it never allocates and never reads a clock. Histograms of
 * the same kind can be merged when read, and a publisher can take what grew since its last
 * visit.
 *
 * <p>Thread-safe. A read taken while others record may miss the values being recorded.
 */
final class LogLinearHistogram {

    private static final int SUB_BITS = 3;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 42;
    private static final long MAX_VALUE = (1L << (MAX_EXPONENT + 1)) - 1;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();

    /** Records one value; negative values count as zero. */
    void record(long value) {
        long clamped = value < 0 ? 0 : Math.min(value, MAX_VALUE);
        counts.incrementAndGet(index(clamped));
        long current = max.get();
        while (clamped > current && !max.compareAndSet(current, clamped)) {
            current = max.get();
        }
    }

    /** Values recorded so far. */
    long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * Hands {@code sink} each bucket that grew since {@code published} was last updated here,
     * with how much it grew, and updates {@code published}. For one publisher at a time.
     *
     * @param published the counts already published, {@link #BUCKETS} long
     */
    void drain(long[] published, BucketSink sink) {
        for (int i = 0; i < BUCKETS; i++) {
            long count = counts.get(i);
            long grown = count - published[i];
            if (grown > 0) {
                published[i] = count;
                sink.accept(i, grown);
            }
        }
    }

    /** Receives a bucket's growth from {@link #drain}. */
    @FunctionalInterface
    interface BucketSink {
        void accept(int bucket, long count);
    }

    /** Adds each bucket's count to {@code into}, {@link #BUCKETS} long. */
    void addCountsTo(long[] into) {
        for (int i = 0; i < BUCKETS; i++) {
            into[i] += counts.get(i);
        }
    }

    /** The largest value recorded, exact; 0 when empty. */
    long max() {
        return max.get();
    }

    /** The count, latency percentiles and maximum (recorded in nanoseconds) of all {@code parts} merged. */
    static LatencySummary latency(LogLinearHistogram... parts) {
        long[] merged = new long[BUCKETS];
        long maxNanos = 0;
        for (LogLinearHistogram part : parts) {
            part.addCountsTo(merged);
            maxNanos = Math.max(maxNanos, part.max.get());
        }
        return latency(merged, maxNanos);
    }

    /**
     * The count, latency percentiles and maximum of bucket counts in nanoseconds, {@link #BUCKETS}
     * long, whose largest value is at most {@code maxNanos}.
     */
    static LatencySummary latency(long[] merged, long maxNanos) {
        long total = 0;
        for (long count : merged) {
            total += count;
        }
        if (total == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(total, micros(percentile(merged, total, 0.50, maxNanos)),
                micros(percentile(merged, total, 0.95, maxNanos)), micros(percentile(merged, total, 0.99, maxNanos)),
                micros(maxNanos));
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + (int) ((value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1));
    }

    /** The smallest value that falls into bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
        return (long) (SUB_BUCKETS + index % SUB_BUCKETS) << (exponent - SUB_BITS);
    }

    /** The middle of bucket {@code index}: within 6.25% of any value in it. */
    static long midpoint(int index) {
        return index < SUB_BUCKETS ? index : (lowerBound(index) + lowerBound(index + 1) - 1) / 2;
    }

    private static double percentile(long[] counts, long total, double quantile, long max) {
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                double estimate = i < SUB_BUCKETS ? i : (lowerBound(i) + lowerBound(i + 1) - 1) / 2.0;
                return Math.min(estimate, max);
            }
        }
        return max;
    }

    /** Microseconds to the nanosecond: bucket midpoints fall on half nanoseconds, which say nothing. */
    private static double micros(double nanos) {
        return Math.round(nanos) / 1_000.0;
    }
}
