package dev.securechannel.attestation;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a verifier established about a peer: the values its document binds, its measurements
 * by index (index 0 is the launch measurement on SEV-SNP, as in the reference), and
 * platform-specific claims. Immutable; byte arrays are copied in and out.
 */
public final class VerifiedAttestation {

    private final byte[] documentHash;
    private final byte @Nullable [] publicKey;
    private final byte @Nullable [] nonce;
    private final byte @Nullable [] userData;
    private final Map<Integer, byte[]> measurements;
    private final String platform;
    private final boolean insecure;
    private final Map<String, String> claims;

    /**
     * @param documentHash SHA-256 of the whole document
     * @param publicKey    the public key the document binds, or {@code null}
     * @param nonce        the nonce the document binds, or {@code null}
     * @param userData     user data the document binds, or {@code null}
     * @param measurements measurements by index
     * @param platform     the platform name, for example {@code SEV-SNP}
     * @param insecure     whether the evidence proves nothing (mock)
     * @param claims       platform-specific facts for display (TCB, chip id, runtime claims...)
     */
    public VerifiedAttestation(byte[] documentHash, byte @Nullable [] publicKey, byte @Nullable [] nonce,
                               byte @Nullable [] userData, Map<Integer, byte[]> measurements,
                               String platform, boolean insecure, Map<String, String> claims) {
        this.documentHash = documentHash.clone();
        this.publicKey = publicKey == null ? null : publicKey.clone();
        this.nonce = nonce == null ? null : nonce.clone();
        this.userData = userData == null ? null : userData.clone();
        TreeMap<Integer, byte[]> copied = new TreeMap<>();
        measurements.forEach((index, value) -> copied.put(index, value.clone()));
        this.measurements = Collections.unmodifiableMap(copied);
        this.platform = platform;
        this.insecure = insecure;
        this.claims = Map.copyOf(claims);
    }

    /** SHA-256 of the verified document. */
    public byte[] documentHash() {
        return documentHash.clone();
    }

    /** The public key the document binds. */
    public Optional<byte[]> publicKey() {
        return Optional.ofNullable(publicKey).map(byte[]::clone);
    }

    /** The nonce the document binds. */
    public Optional<byte[]> nonce() {
        return Optional.ofNullable(nonce).map(byte[]::clone);
    }

    /** User data the document binds. */
    public Optional<byte[]> userData() {
        return Optional.ofNullable(userData).map(byte[]::clone);
    }

    /** The measurement at {@code index}. */
    public Optional<byte[]> measurement(int index) {
        return Optional.ofNullable(measurements.get(index)).map(byte[]::clone);
    }

    /** The measurement indices present, ascending. */
    public java.util.Set<Integer> measurementIndices() {
        return measurements.keySet();
    }

    /** The platform name, for example {@code SEV-SNP}. */
    public String platform() {
        return platform;
    }

    /** Whether this evidence proves nothing (mock attestation). */
    public boolean isInsecure() {
        return insecure;
    }

    /** Platform-specific facts for display. */
    public Map<String, String> claims() {
        return claims;
    }

    boolean measurementEquals(int index, byte[] expected) {
        byte[] actual = measurements.get(index);
        return actual != null && java.security.MessageDigest.isEqual(actual, expected);
    }

    @Override
    public String toString() {
        return "VerifiedAttestation[platform=" + platform + ", insecure=" + insecure + ", measurements="
                + measurements.keySet() + ", documentHash=" + java.util.HexFormat.of().formatHex(Arrays.copyOf(documentHash, 8)) + "...]";
    }
}
