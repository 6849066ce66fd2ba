package dev.securechannel.metrics;

import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * What groups of cumulative histograms gained lately: the difference between their counts now
 * and a snapshot of them taken between {@link #WINDOW} and {@code WINDOW} plus one
 * {@link #STEP} ago, so that a slow start ages out of the report instead of staying in it
 * forever. Like Micrometer's time-window histograms (a {@code DistributionStatisticConfig}'s
 * expiry and buffer length), a ring of snapshots rotates every step; unlike them, recording
 * pays nothing for it: a value is still one increment in the cumulative histogram, and the
 * snapshots are taken by {@link #advance()} (the publisher's tick, and every read).
 *
 * <p>A gained maximum is the upper edge of the highest bucket that grew, capped at the
 * group's exact maximum since start: within 12.5% of the true one.
 *
 * <p>Thread-safe: {@link #advance()} and {@link #read()} synchronize on this.
 */
final class RecentLatencies {

    /** How far back recent latencies reach, at least (when snapshots are taken regularly). */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** How often a snapshot is taken: recent latencies reach back at most this much further than {@link #WINDOW}. */
    static final Duration STEP = Duration.ofSeconds(15);
    private static final int SLOTS = (int) (WINDOW.toNanos() / STEP.toNanos()) + 1;

    private final Clock clock;
    private final LogLinearHistogram[][] groups;
    /** Per slot, per group: the merged bucket counts at {@link #takenAt}. */
    private final long[][][] snapshots;
    private final long[] takenAt = new long[SLOTS];
    private int newest;

    /**
     * @param clock  monotonic time for the steps ({@code MockClock} in tests)
     * @param groups each group's histograms, merged when read
     */
    RecentLatencies(Clock clock, LogLinearHistogram[]... groups) {
        this.clock = clock;
        this.groups = groups;
        this.snapshots = new long[SLOTS][groups.length][LogLinearHistogram.BUCKETS];
        Arrays.fill(takenAt, clock.monotonicTime());
        for (long[][] slot : snapshots) {
            take(slot);
        }
    }

    /** Takes a snapshot when a step has passed since the last one. */
    synchronized void advance() {
        long now = clock.monotonicTime();
        if (now - takenAt[newest] < STEP.toNanos()) {
            return;
        }
        newest = (newest + 1) % SLOTS;
        take(snapshots[newest]);
        takenAt[newest] = now;
    }

    /** What each group gained since the oldest snapshot kept, after {@link #advance()}. */
    synchronized Gains read() {
        advance();
        int oldest = (newest + 1) % SLOTS;
        long[][] gained = new long[groups.length][];
        long[] maxNanos = new long[groups.length];
        for (int group = 0; group < groups.length; group++) {
            long[] now = new long[LogLinearHistogram.BUCKETS];
            long max = 0;
            for (LogLinearHistogram part : groups[group]) {
                part.addCountsTo(now);
                max = Math.max(max, part.max());
            }
            long[] before = snapshots[oldest][group];
            int highest = -1;
            for (int i = 0; i < now.length; i++) {
                now[i] -= before[i];
                if (now[i] > 0) {
                    highest = i;
                }
            }
            gained[group] = now;
            maxNanos[group] = highest < 0 ? 0 : Math.min(max, LogLinearHistogram.lowerBound(highest + 1) - 1);
        }
        return new Gains(clock.monotonicTime() - takenAt[oldest], gained, maxNanos);
    }

    private void take(long[][] slot) {
        for (int group = 0; group < groups.length; group++) {
            Arrays.fill(slot[group], 0);
            for (LogLinearHistogram part : groups[group]) {
                part.addCountsTo(slot[group]);
            }
        }
    }

    /**
     * What the groups gained over {@code windowNanos}.
     *
     * @param windowNanos how long the gains cover: from the snapshot they are measured against to now
     * @param gained      per group, the bucket counts gained
     * @param maxNanos    per group, the largest value gained (within 12.5%)
     */
    record Gains(long windowNanos, long[][] gained, long[] maxNanos) {

        /** The latencies gained by {@code groups} merged. */
        LatencySummary latency(int... groups) {
            long[] merged = new long[LogLinearHistogram.BUCKETS];
            long max = 0;
            for (int group : groups) {
                for (int i = 0; i < merged.length; i++) {
                    merged[i] += gained[group][i];
                }
                max = Math.max(max, maxNanos[group]);
            }
            return LogLinearHistogram.latency(merged, max);
        }
    }
}
