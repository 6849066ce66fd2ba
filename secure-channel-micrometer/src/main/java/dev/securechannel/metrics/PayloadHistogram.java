package dev.securechannel.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Payload sizes in bytes, kept so that a publisher can re-create them exactly at every
 * power-of-two boundary ({@code le 2048} holds every payload of at most 2048 bytes and nothing
 * larger). A payload of {@code n > 0} bytes is kept as {@code n - 1}, so that each bucket of
 * the underlying histogram spans {@code (lower, upper]} in payload bytes, and published as its
 * bucket's smallest payload; empty payloads are counted apart. Thread-safe, allocation-free.
 */
final class PayloadHistogram {

    private final LogLinearHistogram shifted = new LogLinearHistogram();
    private final LongAdder empty = new LongAdder();

    void record(int length) {
        if (length == 0) {
            empty.increment();
        } else {
            shifted.record(length - 1L);
        }
    }

    /** What a publisher has already taken from one histogram. */
    static final class Published {
        private final long[] buckets = new long[LogLinearHistogram.BUCKETS];
        private long empty;
    }

    /** Hands {@code sink} each payload size whose count grew since {@code published}, and by how much. */
    void drain(Published published, LogLinearHistogram.BucketSink sizes) {
        long emptyNow = empty.sum();
        if (emptyNow > published.empty) {
            sizes.accept(0, emptyNow - published.empty);
            published.empty = emptyNow;
        }
        // Bucket i of the shifted histogram holds payloads of lowerBound(i) + 1 bytes and up.
        shifted.drain(published.buckets, (bucket, count) -> sizes.accept((int) Math.min(Integer.MAX_VALUE,
                LogLinearHistogram.lowerBound(bucket) + 1), count));
    }
}
