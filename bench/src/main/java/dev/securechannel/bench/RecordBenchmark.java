package dev.securechannel.bench;

import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.CryptoBackends;
import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.protocol.FrameHeader;
import dev.securechannel.protocol.FrameType;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * The record layer (PROTOCOL.md section 4): sealing and opening one Data frame of 1,536 B,
 * 4 KiB, 384 KiB and 1 MiB, against the JDK's raw ChaCha20-Poly1305 on the same bytes.
 *
 * <p><b>What is measured, per operation</b> (average time, microseconds):
 * <ul>
 *   <li>{@link #seal}: {@link SealingContext#seal(FrameType, byte[])}: nonce and AAD
 *       preparation, cipher re-init, allocation of the frame array, header write, encryption.</li>
 *   <li>{@link #open}: {@link FrameCodec#decodeMessageHeader} plus
 *       {@link OpeningContext#open}: header validation, sequence check, re-init, tag check and
 *       decryption into a new plaintext array. Frames come from a ring pre-sealed in
 *       {@code @Setup} (sequences 0..n-1, in order, because the opener rejects replays and gaps by
 *       design); when the ring is used up the opening context is recreated, a cost amortised
 *       over at least 64 frames (about 0.1% at 1 MiB, less below).</li>
 *   <li>{@link #sealOpen}: a paired sealer and opener in lockstep, one frame sealed then opened
 *       per operation: the whole record-layer cost of one message.</li>
 *   <li>{@link #rawEncrypt}: the baseline the issue asks for: one JDK
 *       {@code Cipher.getInstance("ChaCha20-Poly1305")} re-initialised with a fresh nonce per
 *       operation (as our code does) and {@code doFinal(plaintext)}, which also allocates its
 *       output. {@code seal / rawEncrypt} is the framing+AAD overhead ratio.</li>
 *   <li>{@link #rawEncryptAad}: the same plus our 43-byte AAD, so the overhead splits into
 *       AAD (an extra Poly1305 block and an {@code updateAAD} call) and framing (header, output
 *       offset, bookkeeping). {@code @Setup} checks that its ciphertext is byte-identical to the
 *       payload {@link #seal} produces, so both really do the same cryptographic work.</li>
 *   <li>{@link #rawDecrypt}: the raw baseline for {@link #open}: decrypt-mode re-init, the same
 *       AAD, tag check and decryption of a pre-encrypted ciphertext.</li>
 * </ul>
 *
 * <p>{@code @Setup} verifies every path once (round trip, ring order, baseline equivalence)
 * and fails the trial rather than time something broken. Each measurement iteration starts
 * with fresh contexts, so sequence numbers never approach the 2^32 limit.
 *
 * <p>Forks pre-touch a 2 GiB heap backed by transparent huge pages
 * ({@code -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages}): on virtual machines whose memory
 * the host backs lazily (balloon, free-page reporting) the first touch of each 4 KiB heap page
 * costs about 15 us, and without pre-touch every allocating benchmark measured page faults
 * (up to 50x slower) until the young generation had been touched once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"})
@State(Scope.Thread)
public class RecordBenchmark {

    /** Plaintext sizes: a small message, a page, a typical activation tensor, a large frame. */
    @Param({"1536", "4096", "393216", "1048576"})
    public int size;

    /**
     * The crypto backend that seals and opens ({@code secure-channel.crypto.backend}); the raw
     * baselines always use the JDK cipher, whatever this is.
     */
    @Param({"jdk", "conscrypt", "bouncycastle"})
    public String backend;

    /**
     * The record AEAD the contexts run (the raw baselines are ChaCha20-Poly1305 whatever this
     * is): ChaCha20-Poly1305 (base version 4) or AES-256-GCM (negotiated by default).
     */
    @Param({"CHACHA20_POLY1305", "AES_256_GCM"})
    public String aead;

    /** Bytes pre-sealed for {@link #open}; bounds the ring's memory at about 64 MiB. */
    private static final int RING_BYTES = 64 * 1024 * 1024;
    private static final int AAD_LENGTH = 43;

    private CryptoBackend crypto;
    private byte[] key;
    private byte[] sessionId;
    private byte[] plaintext;

    private SealingContext sealer;
    private SealingContext pairedSealer;
    private OpeningContext pairedOpener;

    private byte[][] ring;
    private int ringIndex;
    private OpeningContext ringOpener;

    private Cipher rawCipher;
    private SecretKeySpec rawKey;
    private final byte[] rawNonce = new byte[12];
    private long rawCounter;
    private byte[] aad;
    private Cipher rawDecryptCipher;
    /** Two ciphertexts under different nonces: JDK 17 refuses to re-init with the previous key and nonce even to decrypt. */
    private final byte[][] rawCiphertexts = new byte[2][];
    private final byte[][] rawCiphertextNonces = new byte[2][];
    private final byte[][] rawCiphertextAads = new byte[2][];
    private int rawDecryptIndex;

    /** Keys, plaintext, the pre-sealed ring and the raw ciphers; then one check of every path. */
    @Setup(Level.Trial)
    public void setUpTrial() throws GeneralSecurityException {
        crypto = CryptoBackends.select(CryptoBackendChoice.fromSetting(backend));
        SplittableRandom random = new SplittableRandom(42);
        key = bytes(random, 32);
        sessionId = bytes(random, 32);
        plaintext = bytes(random, size);

        int ringLength = Math.max(64, Math.min(4096, RING_BYTES / size));
        SealingContext ringSealer = sealingContext();
        ring = new byte[ringLength][];
        for (int i = 0; i < ringLength; i++) {
            ring[i] = ringSealer.seal(FrameType.DATA, plaintext);
        }

        rawKey = new SecretKeySpec(key, "ChaCha20");
        rawCipher = Cipher.getInstance("ChaCha20-Poly1305");
        rawDecryptCipher = Cipher.getInstance("ChaCha20-Poly1305");
        aad = aad(FrameType.DATA, FrameType.DATA.sealedFlags(), sessionId, 0);
        for (int i = 0; i < 2; i++) {
            rawCiphertextNonces[i] = nonce(i);
            rawCiphertextAads[i] = aad(FrameType.DATA, FrameType.DATA.sealedFlags(), sessionId, i);
            rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new IvParameterSpec(rawCiphertextNonces[i]));
            rawCipher.updateAAD(rawCiphertextAads[i]);
            rawCiphertexts[i] = rawCipher.doFinal(plaintext);
        }
        // Never reset: the JDK refuses a re-init with the previous key and nonce.
        rawCounter = 2;

        sanityCheck();
    }

    /** Fresh contexts per iteration: sequences restart at 0 and the ring is reopened from frame 0. */
    @Setup(Level.Iteration)
    public void setUpIteration() {
        sealer = sealingContext();
        pairedSealer = sealingContext();
        pairedOpener = openingContext();
        ringOpener = openingContext();
        ringIndex = 0;
    }

    /** Seals one Data frame. */
    @Benchmark
    public byte[] seal() {
        return sealer.seal(FrameType.DATA, plaintext);
    }

    /** Decodes the header of and opens the next pre-sealed frame, in sequence order. */
    @Benchmark
    public byte[] open() {
        if (ringIndex == ring.length) {
            ringOpener = openingContext();
            ringIndex = 0;
        }
        byte[] frame = ring[ringIndex++];
        FrameHeader header = FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH);
        return ringOpener.open(frame, header);
    }

    /** Seals one frame and opens it with the paired opener. */
    @Benchmark
    public byte[] sealOpen() {
        byte[] frame = pairedSealer.seal(FrameType.DATA, plaintext);
        FrameHeader header = FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH);
        return pairedOpener.open(frame, header);
    }

    /** JDK baseline: re-init with a fresh nonce, encrypt the same bytes, no AAD. */
    @Benchmark
    public byte[] rawEncrypt() throws GeneralSecurityException {
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new IvParameterSpec(nextRawNonce()));
        return rawCipher.doFinal(plaintext);
    }

    /** JDK baseline with our 43-byte AAD: the same cryptographic work as {@link #seal}. */
    @Benchmark
    public byte[] rawEncryptAad() throws GeneralSecurityException {
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, new IvParameterSpec(nextRawNonce()));
        rawCipher.updateAAD(aad);
        return rawCipher.doFinal(plaintext);
    }

    /**
     * JDK baseline for {@link #open}: decrypt and authenticate a ciphertext with our AAD,
     * alternating between two (nonces 0 and 1) because JDK 17 refuses to re-init even a
     * decrypting cipher with the key and nonce of its previous initialisation.
     */
    @Benchmark
    public byte[] rawDecrypt() throws GeneralSecurityException {
        int i = rawDecryptIndex ^= 1;
        rawDecryptCipher.init(Cipher.DECRYPT_MODE, rawKey, new IvParameterSpec(rawCiphertextNonces[i]));
        rawDecryptCipher.updateAAD(rawCiphertextAads[i]);
        return rawDecryptCipher.doFinal(rawCiphertexts[i]);
    }

    private byte[] nextRawNonce() {
        long counter = rawCounter++;
        for (int i = 0; i < 8; i++) {
            rawNonce[4 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        return rawNonce;
    }

    private void sanityCheck() throws GeneralSecurityException {
        // Seal then open round trip, and the frame layout.
        SealingContext checkSealer = sealingContext();
        OpeningContext checkOpener = openingContext();
        byte[] frame = checkSealer.seal(FrameType.DATA, plaintext);
        require(frame.length == FrameCodec.HEADER_LENGTH + size + 16, "frame length");
        FrameHeader header = FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH);
        require(header.type() == FrameType.DATA && header.sequence() == 0
                && FrameFlags.isEncrypted(header.flags()), "frame header");
        require(Arrays.equals(checkOpener.open(frame, header), plaintext), "seal/open round trip");

        // The sealed payload is exactly what the raw cipher produces with our nonce and AAD:
        // the baseline does the same cryptographic work, no more, no less.
        if (RecordAlgorithm.valueOf(aead) == RecordAlgorithm.CHACHA20_POLY1305) {
            require(Arrays.equals(frame, FrameCodec.HEADER_LENGTH, frame.length, rawCiphertexts[0], 0, rawCiphertexts[0].length),
                    "rawEncryptAad equivalence with seal");
        }

        // The ring opens in order from a fresh context, all the way round, twice.
        for (int round = 0; round < 2; round++) {
            OpeningContext opener = openingContext();
            for (byte[] ringFrame : ring) {
                byte[] opened = opener.open(ringFrame, FrameCodec.decodeMessageHeader(ringFrame, FrameCodec.MAX_PAYLOAD_LENGTH));
                require(opened.length == size, "ring frame length");
            }
            require(!opener.isPoisoned() && opener.expectedSequence() == ring.length, "ring opened in order");
        }
        require(Arrays.equals(ringOpen(), plaintext), "ring content");

        // The benchmark methods themselves, a few times each (paired contexts stay in lockstep).
        setUpIteration();
        for (int i = 0; i < 3; i++) {
            require(Arrays.equals(sealOpen(), plaintext), "sealOpen round trip");
            require(Arrays.equals(open(), plaintext), "open");
            require(seal().length == frame.length, "seal length");
            require(rawEncrypt().length == size + 16, "rawEncrypt length");
            require(rawEncryptAad().length == size + 16, "rawEncryptAad length");
            require(Arrays.equals(rawDecrypt(), plaintext), "rawDecrypt round trip");
        }
        require(!pairedOpener.isPoisoned() && !ringOpener.isPoisoned(), "openers healthy");
    }

    private byte[] ringOpen() {
        OpeningContext opener = openingContext();
        return opener.open(ring[0], FrameCodec.decodeMessageHeader(ring[0], FrameCodec.MAX_PAYLOAD_LENGTH));
    }

    private SealingContext sealingContext() {
        return new SealingContext(crypto, RecordAlgorithm.valueOf(aead), key, sessionId);
    }

    private OpeningContext openingContext() {
        return new OpeningContext(crypto, RecordAlgorithm.valueOf(aead), key, sessionId);
    }

    /** The 43-byte AAD of PROTOCOL.md section 4, rebuilt here independently of the core. */
    static byte[] aad(FrameType type, int flags, byte[] sessionId, long sequence) {
        byte[] aad = new byte[AAD_LENGTH];
        aad[0] = (byte) FrameCodec.PROTOCOL_VERSION;
        aad[1] = (byte) type.code();
        aad[2] = (byte) flags;
        System.arraycopy(sessionId, 0, aad, 3, 32);
        for (int i = 0; i < 8; i++) {
            aad[35 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return aad;
    }

    /** The 12-byte nonce {@code 0^4 | u64 seq}. */
    static byte[] nonce(long sequence) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return nonce;
    }

    static byte[] bytes(SplittableRandom random, int length) {
        byte[] out = new byte[length];
        random.nextBytes(out);
        return out;
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark sanity check failed: " + what);
        }
    }
}
