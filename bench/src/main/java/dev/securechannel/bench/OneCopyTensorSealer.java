package dev.securechannel.bench;

import dev.securechannel.protocol.FrameCodec;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.protocol.TensorCodec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A prototype of a cheaper {@code SealingContext.sealTensor}, for {@link TensorSealBenchmark}:
 * it produces byte-for-byte the frame the core produces, with one copy of the tensor data.
 *
 * <p>The core encrypts the sub-header with {@code cipher.update} and then the data with
 * {@code cipher.doFinal(ByteBuffer, ByteBuffer)}. A {@link Tensor}'s data is a read-only
 * buffer, and {@code hasArray()} is false for read-only buffers, so the JDK takes its
 * non-array path: on JDK 25 ChaCha20Cipher allocates a temporary array of the data's size,
 * copies the data in, encrypts it there and copies the result out (two extra passes and one
 * large allocation per frame). This prototype instead copies the sub-header and the data
 * straight into the frame array ({@code ByteBuffer.get} works on read-only buffers) and
 * encrypts the payload in place with the array {@code doFinal}, which the JDK processes without
 * any temporary buffer when input and output are the same range. {@link #sealStreaming} is a
 * second variant that streams the data through a small scratch array instead.
 *
 * <p>Key, session id and nonce/AAD layout are those of PROTOCOL.md section 4, rebuilt here
 * because the core's {@code RecordCipher} is package-private. Not thread-safe.
 */
final class OneCopyTensorSealer {

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] sessionId;
    private long nextSequence;

    OneCopyTensorSealer(byte[] key, byte[] sessionId) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        this.key = new SecretKeySpec(key, "ChaCha20");
        this.sessionId = sessionId.clone();
    }

    /** Scratch for {@link #sealStreaming}: small enough to stay in L1/L2. */
    private final byte[] scratch = new byte[16 * 1024];

    /** Seals {@code tensor} as the next Tensor frame: data copied into the frame, encrypted in place. */
    byte[] seal(Tensor tensor) throws GeneralSecurityException {
        byte[] subHeader = TensorCodec.encodeHeader(tensor);
        ByteBuffer data = tensor.data();
        int length = subHeader.length + data.remaining();
        long sequence = nextSequence++;
        int flags = FrameType.TENSOR.sealedFlags();
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + length + 16];
        FrameCodec.writeHeader(frame, 0, FrameType.TENSOR, flags, sequence, length + 16);
        System.arraycopy(subHeader, 0, frame, FrameCodec.HEADER_LENGTH, subHeader.length);
        data.get(frame, FrameCodec.HEADER_LENGTH + subHeader.length, data.remaining());
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(RecordBenchmark.nonce(sequence)));
        cipher.updateAAD(RecordBenchmark.aad(FrameType.TENSOR, flags, sessionId, sequence));
        cipher.doFinal(frame, FrameCodec.HEADER_LENGTH, length, frame, FrameCodec.HEADER_LENGTH);
        return frame;
    }

    /**
     * The same frame, streaming the data through a 16 KiB scratch array: each chunk is copied
     * into cache-resident scratch and encrypted from there into the frame, so the frame is
     * written once and nothing of the tensor's size is allocated besides the frame.
     */
    byte[] sealStreaming(Tensor tensor) throws GeneralSecurityException {
        byte[] subHeader = TensorCodec.encodeHeader(tensor);
        ByteBuffer data = tensor.data();
        int length = subHeader.length + data.remaining();
        long sequence = nextSequence++;
        int flags = FrameType.TENSOR.sealedFlags();
        byte[] frame = new byte[FrameCodec.HEADER_LENGTH + length + 16];
        FrameCodec.writeHeader(frame, 0, FrameType.TENSOR, flags, sequence, length + 16);
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(RecordBenchmark.nonce(sequence)));
        cipher.updateAAD(RecordBenchmark.aad(FrameType.TENSOR, flags, sessionId, sequence));
        int position = FrameCodec.HEADER_LENGTH;
        position += cipher.update(subHeader, 0, subHeader.length, frame, position);
        while (data.hasRemaining()) {
            int chunk = Math.min(scratch.length, data.remaining());
            data.get(scratch, 0, chunk);
            position += cipher.update(scratch, 0, chunk, frame, position);
        }
        cipher.doFinal(scratch, 0, 0, frame, position);
        return frame;
    }
}
