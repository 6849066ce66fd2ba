package dev.securechannel.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which crypto backend and record AEAD a result measured: the one place the report maps
 * benchmark parameters to those names, so that wiring them to the core's own names (the
 * {@code secure-channel.crypto.backend} property) is a change here only.
 *
 * <p>Backend: the JMH parameter {@code backend} when a benchmark has it, else {@link #DEFAULT_BACKEND}
 * (the core's automatic selection, which every benchmark without that parameter runs on).
 * Record AEAD: the first of {@link #ALGORITHM_PARAMS} a benchmark has, else ChaCha20-Poly1305
 * (the base protocol's record cipher, the only one before AES-256-GCM was negotiable).
 */
public final class CryptoNames {

    /** The JMH parameter naming the crypto backend. */
    public static final String BACKEND_PARAM = "backend";
    /**
     * The backend of results without {@link #BACKEND_PARAM}: {@code auto}, the core's per-operation
     * selection ({@code CryptoBackends.auto()}), the default of {@code SessionConfig} and of
     * {@code secure-channel.crypto.backend}. What it picked on each JDK is in the methodology's
     * "crypto backend (auto)" rows.
     */
    public static final String DEFAULT_BACKEND = "auto";
    /** JMH parameters that may name the record AEAD, in the order they are looked up. */
    public static final List<String> ALGORITHM_PARAMS = List.of("algorithm", "recordAlgorithm", "cipher", "aead");
    /** ChaCha20-Poly1305, as the report names it. */
    public static final String CHACHA20_POLY1305 = "ChaCha20-Poly1305";
    /** AES-256-GCM, as the report names it. */
    public static final String AES_256_GCM = "AES-256-GCM";

    private CryptoNames() {
    }

    /** The backend a result measured. */
    public static String backend(JmhResult result) {
        String value = result.param(BACKEND_PARAM);
        return value == null || value.isBlank() ? DEFAULT_BACKEND : value;
    }

    /** Every backend the results measured, sorted; {@link #DEFAULT_BACKEND} alone when none names one. */
    public static Set<String> backends(List<JmhResult> results) {
        Set<String> backends = new TreeSet<>();
        results.forEach(result -> backends.add(backend(result)));
        if (backends.isEmpty()) {
            backends.add(DEFAULT_BACKEND);
        }
        return backends;
    }

    /** The record AEAD a result measured: {@link #CHACHA20_POLY1305}, {@link #AES_256_GCM}, or the parameter's own value. */
    public static String algorithm(JmhResult result) {
        for (String name : ALGORITHM_PARAMS) {
            String value = result.param(name);
            if (value != null) {
                return normalise(value);
            }
        }
        return CHACHA20_POLY1305;
    }

    /** {@code AES_256_GCM}, {@code aes-256-gcm}, {@code AES256GCM} are AES-256-GCM; {@code CHACHA20_POLY1305} and the like are ChaCha20-Poly1305. */
    static String normalise(String value) {
        String squeezed = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (squeezed.startsWith("chacha20")) {
            return CHACHA20_POLY1305;
        }
        if (squeezed.equals("aes256gcm") || squeezed.equals("aesgcm256")) {
            return AES_256_GCM;
        }
        return value;
    }

    /** The backend row of the methodology: the backends the results name, or {@link #DEFAULT_BACKEND}. */
    public static String backendSummary(@Nullable List<JmhResult> results) {
        return String.join(", ", backends(results == null ? List.of() : results));
    }
}
