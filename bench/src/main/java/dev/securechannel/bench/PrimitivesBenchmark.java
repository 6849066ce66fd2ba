package dev.securechannel.bench;

import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.crypto.Transcript;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameHeader;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The building blocks of the handshake and the codecs, one operation each (average time,
 * nanoseconds), to explain the handshake figure and to justify the core's choices.
 *
 * <ul>
 *   <li>X25519 key generation and agreement: BouncyCastle's RFC 7748 code as wrapped by
 *       {@link X25519KeyPair} (what the core uses) versus the JDK's
 *       {@code KeyPairGenerator.getInstance("X25519")} and {@code KeyAgreement.getInstance("XDH")}
 *       (the alternative the core's Javadoc says measured about 4x slower). Both key generators
 *       draw from the same {@link SecureRandom}; the JDK agreement reuses one
 *       {@link KeyAgreement} and one key pair (init + doPhase + generateSecret per operation).
 *       {@code @Setup} checks that BC and the JDK compute the same shared secret.</li>
 *   <li>{@link SessionKeys#derive}: the whole key schedule (two HKDF-Extracts, three
 *       HKDF-Expands, the confirmation hash).</li>
 *   <li>{@link Transcript#hash}: the labelled SHA-256 transcript over 32-byte items.</li>
 *   <li>Frame header encode ({@link FrameCodec#writeHeader}) and decode
 *       ({@link FrameCodec#decodeHeader}, full validation).</li>
 *   <li>Tensor sub-frame encode ({@link TensorCodec#encode}, a copy of the data) and decode
 *       ({@link TensorCodec#decode}, a view, no copy) of a [32, 384] F32 tensor (48 KiB).</li>
 * </ul>
 *
 * <p>Forks pre-touch a 2 GiB heap backed by transparent huge pages
 * ({@code -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages}): on virtual machines whose memory
 * the host backs lazily (balloon, free-page reporting) the first touch of each 4 KiB heap page
 * costs about 15 us, and without pre-touch every allocating benchmark measured page faults
 * (up to 50x slower) until the young generation had been touched once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class PrimitivesBenchmark {

    private SecureRandom random;

    private byte[] bcPrivate;
    private X25519KeyPair bcPair;
    private byte[] bcPeerPublic;

    private KeyPairGenerator jdkGenerator;
    private KeyAgreement jdkAgreement;
    private KeyPair jdkPair;
    private PublicKey jdkPeerPublic;

    private byte[] sharedSecret;
    private byte[] transcript;
    private byte[] documentHashA;
    private byte[] documentHashB;
    private byte[] publicA;
    private byte[] publicB;
    private byte[] nonceA;
    private byte[] nonceB;

    private final byte[] headerBuffer = new byte[FrameCodec.HEADER_LENGTH];
    private byte[] encodedHeader;
    private long sequence;

    private Tensor tensor;
    private byte[] encodedTensor;

    /** Keys, inputs and the cross-checks. */
    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        random = new SecureRandom();
        SplittableRandom fixed = new SplittableRandom(7);

        // A known scalar, so the sanity check can hand the same private key to the JDK.
        bcPrivate = RecordBenchmark.bytes(fixed, 32);
        bcPair = X25519KeyPair.fromPrivateKey(bcPrivate);
        X25519KeyPair bcPeer = X25519KeyPair.generate(random);
        bcPeerPublic = bcPeer.publicKey();

        jdkGenerator = KeyPairGenerator.getInstance("X25519");
        jdkGenerator.initialize(NamedParameterSpec.X25519, random);
        jdkPair = jdkGenerator.generateKeyPair();
        jdkPeerPublic = jdkGenerator.generateKeyPair().getPublic();
        jdkAgreement = KeyAgreement.getInstance("XDH");

        sharedSecret = RecordBenchmark.bytes(fixed, 32);
        transcript = RecordBenchmark.bytes(fixed, 32);
        documentHashA = RecordBenchmark.bytes(fixed, 32);
        documentHashB = RecordBenchmark.bytes(fixed, 32);
        publicA = RecordBenchmark.bytes(fixed, 32);
        publicB = RecordBenchmark.bytes(fixed, 32);
        nonceA = RecordBenchmark.bytes(fixed, 32);
        nonceB = RecordBenchmark.bytes(fixed, 32);

        encodedHeader = new byte[FrameCodec.HEADER_LENGTH];
        FrameCodec.writeHeader(encodedHeader, 0, FrameType.DATA, FrameType.DATA.sealedFlags(), 12345, 4096 + 16);

        float[] values = new float[32 * 384];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.001f;
        }
        tensor = Tensor.ofFloats("hidden_states", new long[] {32, 384}, values);
        encodedTensor = TensorCodec.encode(tensor);

        sanityCheck(bcPeer);
    }

    /** BC: a fresh X25519 pair (32 random bytes, one fixed-base scalar multiplication). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public X25519KeyPair x25519KeygenBouncyCastle() {
        return X25519KeyPair.generate(random);
    }

    /** JDK: a fresh X25519 pair from {@code KeyPairGenerator} (same random source). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public KeyPair x25519KeygenJdk() {
        return jdkGenerator.generateKeyPair();
    }

    /** BC: one X25519 agreement (variable-base scalar multiplication and the all-zero check). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] x25519AgreeBouncyCastle() {
        return bcPair.agree(bcPeerPublic);
    }

    /** JDK: one XDH agreement on a reused {@link KeyAgreement}. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] x25519AgreeJdk() throws GeneralSecurityException {
        jdkAgreement.init(jdkPair.getPrivate());
        jdkAgreement.doPhase(jdkPeerPublic, true);
        return jdkAgreement.generateSecret();
    }

    /** The key schedule: HKDF-SHA256 extract/expand of both keys, session id and confirmation. */
    @Benchmark
    public SessionKeys hkdfSessionKeys() {
        return SessionKeys.derive(sharedSecret, transcript);
    }

    /** The SHA-256 handshake transcript. */
    @Benchmark
    public byte[] transcriptHash() {
        return Transcript.hash(documentHashA, documentHashB, publicA, publicB, nonceA, nonceB, FrameCodec.PROTOCOL_VERSION);
    }

    /** Writes a 13-byte frame header into a reused array. */
    @Benchmark
    public byte[] frameHeaderEncode() {
        FrameCodec.writeHeader(headerBuffer, 0, FrameType.DATA, FrameType.DATA.sealedFlags(), sequence++ & 0xFFFF_FFFFL, 4096 + 16);
        return headerBuffer;
    }

    /** Decodes and validates a 13-byte frame header. */
    @Benchmark
    public FrameHeader frameHeaderDecode() {
        return FrameCodec.decodeHeader(encodedHeader, 0, FrameCodec.MAX_PAYLOAD_LENGTH);
    }

    /** Encodes a [32, 384] F32 tensor sub-frame into a new array (sub-header plus 48 KiB copy). */
    @Benchmark
    public byte[] tensorEncode() {
        return TensorCodec.encode(tensor);
    }

    /** Decodes a [32, 384] F32 tensor sub-frame (validation; the data is a view). */
    @Benchmark
    public Tensor tensorDecode() {
        return TensorCodec.decode(encodedTensor);
    }

    private void sanityCheck(X25519KeyPair bcPeer) throws GeneralSecurityException {
        // BC and the JDK agree on X25519: derive the JDK's view of the same two BC keys.
        byte[] bcShared = bcPair.agree(bcPeerPublic);
        RecordBenchmark.require(Arrays.equals(bcShared, bcPeer.agree(bcPair.publicKey())), "BC agreement symmetric");
        KeyFactory factory = KeyFactory.getInstance("XDH");
        KeyAgreement check = KeyAgreement.getInstance("XDH");
        check.init(factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, bcPrivate)));
        check.doPhase(factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, littleEndian(bcPeerPublic))), true);
        RecordBenchmark.require(Arrays.equals(check.generateSecret(), bcShared), "BC and JDK X25519 agree");
        RecordBenchmark.require(x25519AgreeJdk().length == 32, "JDK agreement length");
        RecordBenchmark.require(((XECPublicKey) x25519KeygenJdk().getPublic()).getU().signum() >= 0, "JDK keygen");

        SessionKeys keys = hkdfSessionKeys();
        RecordBenchmark.require(keys.sessionId().length == 32 && keys.confirmation().length == 32, "key schedule");
        RecordBenchmark.require(Arrays.equals(SessionKeys.derive(sharedSecret, transcript).sessionId(), keys.sessionId()),
                "key schedule deterministic");
        RecordBenchmark.require(transcriptHash().length == 32, "transcript");

        FrameHeader header = frameHeaderDecode();
        RecordBenchmark.require(header.type() == FrameType.DATA && header.sequence() == 12345
                && header.payloadLength() == 4096 + 16, "header decode");
        RecordBenchmark.require(encodedTensor.length == TensorCodec.headerLength(tensor) + 32 * 384 * 4, "tensor length");
        Tensor decoded = tensorDecode();
        RecordBenchmark.require(decoded.equals(tensor) && decoded.dtype() == DType.F32, "tensor round trip");
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] reversed = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            reversed[i] = bytes[bytes.length - 1 - i];
        }
        reversed[0] &= 0x7F; // RFC 7748: mask the top bit of the u-coordinate
        return new BigInteger(1, reversed);
    }
}
