package dev.securechannel.actuate.endpoint;

import dev.securechannel.internal.crypto.CryptoBackend;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which crypto backend runs, for the {@code securechannel} endpoint and the health details:
 * the setting, a one-line description, and per operation the implementation and why.
 *
 * @param backend     the setting that produced it: {@code auto}, {@code conscrypt}, {@code jdk} or {@code bouncycastle}
 * @param description one line, e.g. {@code conscrypt 2.9.0 (BoringSSL) + jdk 17.0.15: chacha20-poly1305=conscrypt aes-256-gcm=conscrypt x25519=conscrypt hash=jdk}
 * @param operations  {@code chacha20-poly1305}, {@code aes-256-gcm}, {@code x25519} and {@code hash}, each with its implementation and reason
 */
public record CryptoBackendDescriptor(String backend, String description, Map<String, OperationDescriptor> operations) {

    /**
     * One operation's implementation.
     *
     * @param implementation {@code conscrypt}, {@code jdk} or {@code bouncycastle}
     * @param reason         why it was chosen
     */
    public record OperationDescriptor(String implementation, String reason) {
    }

    /** Describes {@code backend}. */
    public static CryptoBackendDescriptor of(CryptoBackend backend) {
        Map<String, OperationDescriptor> operations = new LinkedHashMap<>();
        for (CryptoBackend.Operation operation : CryptoBackend.Operation.values()) {
            operations.put(operation.label(),
                    new OperationDescriptor(backend.implementation(operation), backend.reason(operation)));
        }
        return new CryptoBackendDescriptor(backend.name(), backend.description(), Map.copyOf(operations));
    }
}
