package dev.securechannel.attestation;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code MOCK_ATT_V1} document of PROTOCOL.md section 6, for tests and development only:
 * {@code "MOCK_ATT_V1\0" | (u32 LE length | bytes) for user_data, nonce, public_key}, a
 * length of 0 meaning absent. It is signed by nothing and proves nothing.
 */
public final class InsecureMockAttestation {

    /** The provider and verifier type name. */
    public static final String TYPE = "mock";
    /** The platform name shown for mock evidence. */
    public static final String PLATFORM = "none (insecure mock)";

    private static final byte[] MARKER = "MOCK_ATT_V1\0".getBytes(StandardCharsets.US_ASCII);

    private InsecureMockAttestation() {
    }

    /** Encodes a mock document. */
    public static byte[] encode(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MARKER);
        writeField(out, userData);
        writeField(out, nonce);
        writeField(out, publicKey);
        return out.toByteArray();
    }

    /**
     * Decodes and "verifies" a mock document: marker and lengths only.
     *
     * @throws SecureChannelException ATTESTATION_VERIFICATION_FAILED for a bad marker, a
     *                                truncated field or trailing bytes
     */
    public static VerifiedAttestation decode(AttestationDocument document) {
        byte[] bytes = document.bytes();
        if (bytes.length < MARKER.length || !Arrays.equals(bytes, 0, MARKER.length, MARKER, 0, MARKER.length)) {
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "not a MOCK_ATT_V1 document");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position(MARKER.length);
        byte[] userData = readField(in, "user_data");
        byte[] nonce = readField(in, "nonce");
        byte[] publicKey = readField(in, "public_key");
        if (in.hasRemaining()) {
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "trailing bytes in mock document");
        }
        return new VerifiedAttestation(document.sha256(), publicKey, nonce, userData, Map.of(), PLATFORM, true, Map.of());
    }

    private static void writeField(ByteArrayOutputStream out, byte @Nullable [] value) {
        int length = value == null ? 0 : value.length;
        out.write(length);
        out.write(length >>> 8);
        out.write(length >>> 16);
        out.write(length >>> 24);
        if (value != null) {
            out.writeBytes(value);
        }
    }

    private static byte @Nullable [] readField(ByteBuffer in, String field) {
        if (in.remaining() < 4) {
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "truncated mock document at " + field);
        }
        long length = Integer.toUnsignedLong(in.getInt());
        if (length > in.remaining()) {
            throw new SecureChannelException(FailureReason.ATTESTATION_VERIFICATION_FAILED, "truncated mock document at " + field);
        }
        if (length == 0) {
            return null;
        }
        byte[] value = new byte[(int) length];
        in.get(value);
        return value;
    }
}
