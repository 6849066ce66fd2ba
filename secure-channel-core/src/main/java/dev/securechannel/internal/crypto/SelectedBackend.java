package dev.securechannel.internal.crypto;

import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;

/**
 * What {@link CryptoBackends} hands out: each operation delegated to the implementation chosen
 * for it, with the reason. Immutable and thread-safe.
 */
final class SelectedBackend implements CryptoBackend {

    /** One operation's implementation and why it was chosen. */
    record Pick(CryptoBackend implementation, String reason) {
    }

    private final String name;
    private final String description;
    private final Map<Operation, Pick> picks;
    private final CryptoBackend chacha20Poly1305;
    private final CryptoBackend aes256Gcm;
    private final CryptoBackend x25519;
    private final CryptoBackend hash;

    SelectedBackend(String name, String label, Map<Operation, Pick> picks) {
        if (!picks.keySet().containsAll(java.util.EnumSet.allOf(Operation.class))) {
            throw new IllegalArgumentException("every operation needs an implementation: " + picks.keySet());
        }
        this.name = name;
        this.picks = new EnumMap<>(picks);
        this.chacha20Poly1305 = picks.get(Operation.CHACHA20_POLY1305).implementation();
        this.aes256Gcm = picks.get(Operation.AES_256_GCM).implementation();
        this.x25519 = picks.get(Operation.X25519).implementation();
        this.hash = picks.get(Operation.HASH).implementation();
        this.description = label + ": " + this.picks.entrySet().stream()
                .map(e -> SelfTest.label(e.getKey()) + "=" + e.getValue().implementation().name())
                .collect(Collectors.joining(" "));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String implementation(Operation operation) {
        return picks.get(operation).implementation().name();
    }

    @Override
    public String reason(Operation operation) {
        return picks.get(operation).reason();
    }

    @Override
    public RecordAead newRecordAead(RecordAlgorithm algorithm, byte[] key) {
        return (algorithm == RecordAlgorithm.AES_256_GCM ? aes256Gcm : chacha20Poly1305).newRecordAead(algorithm, key);
    }

    @Override
    public byte[] x25519GenerateKeyPair(java.security.SecureRandom random, byte[] publicKey) {
        return x25519.x25519GenerateKeyPair(random, publicKey);
    }

    @Override
    public byte[] x25519PublicKey(byte[] privateKey) {
        return x25519.x25519PublicKey(privateKey);
    }

    @Override
    public boolean x25519Agree(byte[] privateKey, byte[] peerPublicKey, byte[] sharedSecret) {
        return x25519.x25519Agree(privateKey, peerPublicKey, sharedSecret);
    }

    @Override
    public MessageDigest sha256() {
        return hash.sha256();
    }

    @Override
    public Mac hmacSha256(byte[] key) {
        return hash.hmacSha256(key);
    }

    @Override
    public String toString() {
        return description;
    }
}
