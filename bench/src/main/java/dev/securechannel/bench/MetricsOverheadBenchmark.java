package dev.securechannel.bench;

import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameHeader;
import dev.securechannel.metrics.MicrometerConnectionObserver;
import dev.securechannel.metrics.SecureChannelMetrics;
import dev.securechannel.protocol.FrameType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metrics cost per message: the {@link MicrometerConnectionObserver}'s recording of one
 * sealed and one opened frame, against sealing and opening that 1,536 B frame.
 *
 * <p><b>What is measured, per operation</b> (average time, nanoseconds):
 * <ul>
 *   <li>{@link #sealOpen}: seal one Data frame of 1,536 B, decode its header and open it, with
 *       a paired sealer and opener (as {@code RecordBenchmark.sealOpen}): the denominator.</li>
 *   <li>{@link #record}: {@code frameSealed} plus {@code frameOpened} for that frame, what the
 *       I/O thread pays per message: the in-process histograms (latency per type and size
 *       class, payload size) and byte counters. This is the whole cost metrics add on the I/O
 *       path: the core times seal and open with {@code System.nanoTime()} whether or not an
 *       observer is installed.</li>
 *   <li>{@link #recordAndPublish}: the same plus the publisher's share: per 1,024 messages, one
 *       {@code publish()} replaying them into the Micrometer timers and payload summaries, as
 *       the publisher thread does every second. Reported per message; this work runs off the
 *       I/O path.</li>
 *   <li>{@link #sealOpenRecorded}: seal, open and record, timed with {@code System.nanoTime()} as
 *       {@code Connection} does, as a cross-check of the sum.</li>
 * </ul>
 * The overhead is {@code record / sealOpen}; the goal is under 5%. {@code registry} selects
 * Prometheus (what the sample app exports: cumulative percentile histograms) or Micrometer's
 * simple registry (no histogram buckets). Recorded durations cycle through 64 values between 1
 * and 9 us, so histogram bucket lookups and the maximum see realistic, varying input.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class MetricsOverheadBenchmark {

    private static final int SIZE = 1536;
    private static final int PUBLISH_EVERY = 1024;

    /** The meter registry the observer records into. */
    @Param({"prometheus", "simple"})
    public String registry;

    private byte[] key;
    private byte[] sessionId;
    private byte[] plaintext;
    private final long[] durations = new long[64];
    private int next;

    private MicrometerConnectionObserver observer;
    private SealingContext sealer;
    private OpeningContext opener;

    /** Keys, plaintext, the observer with its meters, and one check of every path. */
    @Setup(Level.Trial)
    public void setUpTrial() {
        SplittableRandom random = new SplittableRandom(42);
        key = RecordBenchmark.bytes(random, 32);
        sessionId = RecordBenchmark.bytes(random, 32);
        plaintext = RecordBenchmark.bytes(random, SIZE);
        for (int i = 0; i < durations.length; i++) {
            durations[i] = 1_000 + random.nextLong(8_000);
        }
        MeterRegistry meters = "prometheus".equals(registry) ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                : new SimpleMeterRegistry();
        observer = new MicrometerConnectionObserver(meters, new SecureChannelMetrics(), "mock");
        sanityCheck(meters);
    }

    /** Fresh contexts per iteration, so sequence numbers never approach their limit. */
    @Setup(Level.Iteration)
    public void setUpIteration() {
        sealer = new SealingContext(key, sessionId);
        opener = new OpeningContext(key, sessionId);
    }

    /** Seals one 1,536 B Data frame and opens it. */
    @Benchmark
    public byte[] sealOpen() {
        byte[] frame = sealer.seal(FrameType.DATA, plaintext);
        FrameHeader header = FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH);
        return opener.open(frame, header);
    }

    /** Records one sealed and one opened 1,536 B frame. */
    @Benchmark
    public void record() {
        int i = next++ & 63;
        observer.frameSealed(FrameType.DATA, SIZE, durations[i]);
        observer.frameOpened(FrameType.DATA, SIZE, durations[i ^ 1]);
    }

    /** Records 1,024 sealed and opened frames, then publishes them to Micrometer: the cost per message, publishing included. */
    @Benchmark
    @OperationsPerInvocation(PUBLISH_EVERY)
    public void recordAndPublish() {
        for (int n = 0; n < PUBLISH_EVERY; n++) {
            record();
        }
        observer.publish();
    }

    /** Seals and opens one frame, timing each and recording both as {@code Connection} does. */
    @Benchmark
    public byte[] sealOpenRecorded() {
        long begin = System.nanoTime();
        byte[] frame = sealer.seal(FrameType.DATA, plaintext);
        observer.frameSealed(FrameType.DATA, SIZE, System.nanoTime() - begin);
        begin = System.nanoTime();
        FrameHeader header = FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH);
        byte[] opened = opener.open(frame, header);
        observer.frameOpened(FrameType.DATA, SIZE, System.nanoTime() - begin);
        return opened;
    }

    private void sanityCheck(MeterRegistry meters) {
        setUpIteration();
        RecordBenchmark.require(Arrays.equals(sealOpen(), plaintext), "seal/open round trip");
        RecordBenchmark.require(Arrays.equals(sealOpenRecorded(), plaintext), "recorded seal/open round trip");
        record();
        observer.publish();
        long sealed = meters.get(MicrometerConnectionObserver.SEAL).tags("type", "data", "size", "le-2KiB").timer().count();
        long opened = observer.statistics().snapshot().messages().open().overall().count();
        RecordBenchmark.require(sealed == 2 && opened == 2, "frames recorded by the statistics and published to the meters");
    }
}
