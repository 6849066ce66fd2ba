package dev.securechannel.bench;

import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing a tensor, the payload an inference service sends most: what the core's tensor path
 * ({@link TensorCodec#encode(Tensor, int, int)} then {@link SealingContext#sealInPlace}) costs
 * against sealing the same bytes as a Data frame.
 *
 * <p><b>What is measured, per operation</b> (average time, microseconds), for F32 tensors of
 * shape [32, 384] (48 KiB, one activation batch) and [256, 384] (384 KiB), with
 * ChaCha20-Poly1305 on the backend the core selects by default ({@code auto}):
 * <ul>
 *   <li>{@link #sealTensor}: the core's path: the codec copies sub-header and data once into
 *       a frame with room for header and tag, and the record layer encrypts it in place.</li>
 *   <li>{@link #sealEncodedAsData}: {@code seal(DATA, bytes)} of an array holding the same
 *       number of bytes: the floor for one frame of this size (the encoding is not included).</li>
 *   <li>{@link #encodeThenSeal}: {@link TensorCodec#encode} into a new array, then
 *       {@code seal(TENSOR-sized bytes)}: the obvious two-copy alternative.</li>
 * </ul>
 * {@code @Setup} checks that encode-then-seal produces byte-for-byte the frame
 * the core's path produces for the same key, session id and sequence, and that the core opens
 * it back to the same tensor.
 *
 * <p>Forks pre-touch a 2 GiB heap backed by transparent huge pages; see {@link RecordBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class TensorSealBenchmark {

    /** Rows of a [rows, 384] F32 tensor: 32 (48 KiB) or 256 (384 KiB). */
    @Param({"32", "256"})
    public int rows;

    private byte[] key;
    private byte[] sessionId;
    private Tensor tensor;
    private byte[] sameSizeBytes;
    private SealingContext sealer;

    /** The tensor, keys and the equivalence checks. */
    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        key = RecordBenchmark.bytes(random, 32);
        sessionId = RecordBenchmark.bytes(random, 32);
        float[] values = new float[rows * 384];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        tensor = Tensor.ofFloats("hidden_states", new long[] {rows, 384}, values);
        sameSizeBytes = TensorCodec.encode(tensor);

        SealingContext checkSealer = new SealingContext(key, sessionId);
        SealingContext checkEncodeSealer = new SealingContext(key, sessionId);
        OpeningContext opener = new OpeningContext(key, sessionId);
        for (int i = 0; i < 3; i++) {
            byte[] core = sealTensor(checkSealer, tensor);
            RecordBenchmark.require(Arrays.equals(core, checkEncodeSealer.seal(FrameType.TENSOR, TensorCodec.encode(tensor))),
                    "encode-then-seal frame identical to sealTensor");
            byte[] plaintext = opener.open(core, FrameCodec.decodeMessageHeader(core, FrameCodec.MAX_PAYLOAD_LENGTH));
            RecordBenchmark.require(TensorCodec.decode(plaintext).equals(tensor), "tensor round trip");
        }
        setUpIteration();
    }

    /** A fresh context per iteration, so sequences restart at 0. */
    @Setup(Level.Iteration)
    public void setUpIteration() {
        sealer = new SealingContext(key, sessionId);
    }

    /** The core's tensor sealing. */
    @Benchmark
    public byte[] sealTensor() {
        return sealTensor(sealer, tensor);
    }

    /** The core's tensor path: the codec lays the frame out with room for header and tag, the record layer seals it in place. */
    private static byte[] sealTensor(SealingContext sealing, Tensor tensor) {
        return sealing.sealInPlace(FrameType.TENSOR, TensorCodec.encode(tensor, FrameCodec.HEADER_LENGTH, RecordAlgorithm.TAG_LENGTH));
    }

    /** A Data frame of the same size: the floor. */
    @Benchmark
    public byte[] sealEncodedAsData() {
        return sealer.seal(FrameType.DATA, sameSizeBytes);
    }

    /** Encode to an array, then seal it. */
    @Benchmark
    public byte[] encodeThenSeal() {
        return sealer.seal(FrameType.TENSOR, TensorCodec.encode(tensor));
    }
}
