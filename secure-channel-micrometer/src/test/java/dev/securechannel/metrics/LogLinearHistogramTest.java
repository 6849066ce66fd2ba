package dev.securechannel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-process histogram: exact counts and maximum, percentiles within a bucket's width, publishable deltas. */
class LogLinearHistogramTest {

    @Test
    void bucketsAreContiguousAndAtMostOneEighthWide() {
        for (int index = 8; index < LogLinearHistogram.BUCKETS - 1; index++) {
            long lower = LogLinearHistogram.lowerBound(index);
            long next = LogLinearHistogram.lowerBound(index + 1);
            assertThat(LogLinearHistogram.index(lower)).isEqualTo(index);
            assertThat(LogLinearHistogram.index(next - 1)).isEqualTo(index);
            assertThat((double) (next - lower) / lower).isLessThanOrEqualTo(0.125);
        }
    }

    @Test
    void percentilesOfUniformMicrosecondLatenciesAreWithinTheBucketWidth() {
        LogLinearHistogram histogram = new LogLinearHistogram();
        for (long nanos = 1_000; nanos <= 100_000; nanos += 1) {
            histogram.record(nanos);
        }
        LatencySummary summary = LogLinearHistogram.latency(histogram);
        assertThat(summary.count()).isEqualTo(99_001);
        assertThat(summary.p50Micros()).isCloseTo(50.5, within(50.5 * 0.07));
        assertThat(summary.p95Micros()).isCloseTo(95.05, within(95.05 * 0.07));
        assertThat(summary.p99Micros()).isCloseTo(99.01, within(99.01 * 0.07));
        assertThat(summary.maxMicros()).isEqualTo(100.0);
    }

    @Test
    void percentilesAreOrderedAndNeverAboveTheMaximum() {
        LogLinearHistogram histogram = new LogLinearHistogram();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            histogram.record(1_000 + random.nextLong(5_000_000));
        }
        histogram.record(1_003);
        LatencySummary summary = LogLinearHistogram.latency(histogram);
        assertThat(summary.p50Micros()).isPositive().isLessThanOrEqualTo(summary.p95Micros());
        assertThat(summary.p95Micros()).isLessThanOrEqualTo(summary.p99Micros());
        assertThat(summary.p99Micros()).isLessThanOrEqualTo(summary.maxMicros());
    }

    @Test
    void mergedHistogramsCountEverythingAndKeepTheLargestMaximum() {
        LogLinearHistogram fast = new LogLinearHistogram();
        LogLinearHistogram slow = new LogLinearHistogram();
        for (int i = 0; i < 90; i++) {
            fast.record(2_000);
        }
        for (int i = 0; i < 10; i++) {
            slow.record(2_000_000);
        }
        LatencySummary merged = LogLinearHistogram.latency(fast, slow);
        assertThat(merged.count()).isEqualTo(100);
        assertThat(merged.p50Micros()).isCloseTo(2.0, within(0.25));
        assertThat(merged.p95Micros()).isCloseTo(2_000.0, within(250.0));
        assertThat(merged.maxMicros()).isEqualTo(2_000.0);
    }

    @Test
    void anEmptyHistogramSummarisesToZeros() {
        assertThat(LogLinearHistogram.latency(new LogLinearHistogram())).isEqualTo(LatencySummary.EMPTY);
    }

    @Test
    void negativeAndHugeDurationsAreClampedNotLost() {
        LogLinearHistogram histogram = new LogLinearHistogram();
        histogram.record(-5);
        histogram.record(Long.MAX_VALUE);
        assertThat(histogram.count()).isEqualTo(2);
    }

    @Test
    void drainHandsOverOnlyWhatGrewSinceTheLastDrain() {
        LogLinearHistogram histogram = new LogLinearHistogram();
        long[] published = new long[LogLinearHistogram.BUCKETS];
        histogram.record(3_000);
        histogram.record(3_000);
        java.util.List<Long> drained = new java.util.ArrayList<>();

        histogram.drain(published, (bucket, count) -> drained.add(count));
        histogram.record(3_000);
        histogram.drain(published, (bucket, count) -> drained.add(count));
        histogram.drain(published, (bucket, count) -> drained.add(count));

        assertThat(drained).containsExactly(2L, 1L);
    }

    @Test
    void aBucketsMidpointIsWithinSixAndAQuarterPercentOfItsValues() {
        for (long value : new long[] {9, 100, 1_536, 2_000, 999_999, 123_456_789}) {
            long midpoint = LogLinearHistogram.midpoint(LogLinearHistogram.index(value));
            assertThat((double) Math.abs(midpoint - value) / value).isLessThanOrEqualTo(0.0625);
        }
    }
}
