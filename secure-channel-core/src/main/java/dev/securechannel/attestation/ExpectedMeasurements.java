package dev.securechannel.attestation;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measurements a peer must present, by index: every expected index must be present and equal
 * (compared in constant time); indices not listed are not checked. Immutable.
 */
public final class ExpectedMeasurements {

    private static final ExpectedMeasurements NONE = new ExpectedMeasurements(Map.of());

    private final Map<Integer, byte[]> expected;

    private ExpectedMeasurements(Map<Integer, byte[]> expected) {
        TreeMap<Integer, byte[]> copied = new TreeMap<>();
        expected.forEach((index, value) -> copied.put(index, value.clone()));
        this.expected = Collections.unmodifiableMap(copied);
    }

    /** No expectation: any measurement passes. */
    public static ExpectedMeasurements none() {
        return NONE;
    }

    /** Expectations from raw bytes by index. */
    public static ExpectedMeasurements of(Map<Integer, byte[]> expected) {
        return new ExpectedMeasurements(expected);
    }

    /**
     * Expectations from hex strings by index (as written in configuration).
     *
     * @throws IllegalArgumentException for a value that is not hex
     */
    public static ExpectedMeasurements fromHex(Map<Integer, String> expectedHex) {
        TreeMap<Integer, byte[]> parsed = new TreeMap<>();
        expectedHex.forEach((index, hex) -> {
            try {
                parsed.put(index, HexFormat.of().parseHex(hex.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("measurement[" + index + "] is not valid hex", e);
            }
        });
        return new ExpectedMeasurements(parsed);
    }

    /** Whether nothing is expected. */
    public boolean isEmpty() {
        return expected.isEmpty();
    }

    /** The expected indices. */
    public java.util.Set<Integer> indices() {
        return expected.keySet();
    }

    /**
     * Checks a peer's verified attestation.
     *
     * @throws SecureChannelException MEASUREMENT_MISSING or MEASUREMENT_MISMATCH naming the index
     */
    public void check(VerifiedAttestation attestation) {
        for (Map.Entry<Integer, byte[]> entry : expected.entrySet()) {
            int index = entry.getKey();
            if (attestation.measurement(index).isEmpty()) {
                throw new SecureChannelException(FailureReason.MEASUREMENT_MISSING, "measurement[" + index + "]");
            }
            if (!attestation.measurementEquals(index, entry.getValue())) {
                throw new SecureChannelException(FailureReason.MEASUREMENT_MISMATCH, "measurement[" + index + "] mismatch");
            }
        }
    }

    @Override
    public String toString() {
        return "ExpectedMeasurements" + expected.keySet();
    }
}
