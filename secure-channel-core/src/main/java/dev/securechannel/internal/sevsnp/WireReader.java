package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Reads the marker and u32 little-endian length-prefixed fields of the SEV-SNP wire documents. */
final class WireReader {

    private final byte[] bytes;
    private int position;

    /**
     * Checks the marker.
     *
     * @throws SnpVerificationException WIRE_TRUNCATED if the document is a strict prefix of the
     *                                  marker, WIRE_MARKER_MISMATCH otherwise
     */
    WireReader(byte[] bytes, byte[] marker, String name) {
        int compared = Math.min(bytes.length, marker.length);
        if (!Arrays.equals(bytes, 0, compared, marker, 0, compared)) {
            throw new SnpVerificationException(SnpFailure.WIRE_MARKER_MISMATCH, "not a " + name + " document");
        }
        if (bytes.length < marker.length) {
            throw new SnpVerificationException(SnpFailure.WIRE_TRUNCATED, name + " document ends inside its marker");
        }
        this.bytes = bytes;
        this.position = marker.length;
    }

    /** A u32 LE length followed by that many bytes. */
    byte[] lengthPrefixed(String field) {
        if (bytes.length - position < 4) {
            throw new SnpVerificationException(SnpFailure.WIRE_TRUNCATED, "document ends before the " + field + " size");
        }
        long length = Integer.toUnsignedLong(SnpReport.le32(bytes, position));
        position += 4;
        if (length > bytes.length - position) {
            throw new SnpVerificationException(SnpFailure.WIRE_TRUNCATED,
                    field + " needs " + length + " bytes, " + (bytes.length - position) + " left");
        }
        byte[] value = Arrays.copyOfRange(bytes, position, position + (int) length);
        position += (int) length;
        return value;
    }

    static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] value) {
        int length = value.length;
        out.write(length);
        out.write(length >>> 8);
        out.write(length >>> 16);
        out.write(length >>> 24);
        out.writeBytes(value);
    }
}
