package dev.securechannel.internal.crypto;

import dev.securechannel.ConfigurationProblem;
import dev.securechannel.ConfigurationRejectedException;
import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.crypto.CryptoBackendChoice;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Selects the crypto backend, once per process and choice, lazily and thread-safely. Every
 * implementation passes a known-answer self-test for an operation before it runs it.
 *
 * <p>{@link CryptoBackendChoice#AUTO} picks per operation, by the figures measured on an AMD
 * EPYC with AVX2 under JDK 17 and 25 (plaintext MB/s of seal and open, microseconds of X25519):
 * <ul>
 *   <li>AES-256-GCM: Conscrypt; without it the JDK's cipher, then BouncyCastle's;</li>
 *   <li>ChaCha20-Poly1305: the same, except on JDK 21 and later with AVX-512 in use, where
 *       HotSpot's vectorised ChaCha20 and Poly1305 intrinsics beat Conscrypt and the JDK comes
 *       first;</li>
 *   <li>X25519: Conscrypt; without it BouncyCastle's RFC 7748 code, then the JDK's XDH;</li>
 *   <li>SHA-256 and HMAC: the JDK's, even when Conscrypt loads; then BouncyCastle's.</li>
 * </ul>
 * When a preferred implementation cannot load or fails its self-test, auto falls back and
 * says so in one log line. An explicit choice that cannot load or fails its self-test is a
 * configuration error ({@link FailureReason#CONFIGURATION_REJECTED}) naming the choice.
 */
public final class CryptoBackends {

    private static final System.Logger LOG = System.getLogger(CryptoBackends.class.getName());

    private static final Map<CryptoBackendChoice, CryptoBackend> SELECTED = new ConcurrentHashMap<>();
    private static final Map<CryptoBackendChoice, CryptoBackend> LOADED = new ConcurrentHashMap<>();

    /** Whether this JVM runs ChaCha20-Poly1305 on HotSpot's vectorised intrinsics (read once). */
    private static final boolean JDK_VECTOR_CHACHA20_POLY1305 = jdkHasVectorChaCha20Poly1305();

    /** An implementation auto may pick for an operation, and the reason it is picked when it is. */
    private record Candidate(CryptoBackendChoice choice, String reason) {
    }

    private CryptoBackends() {
    }

    /** The process-wide automatic selection, which every default in this library uses. */
    public static CryptoBackend auto() {
        return select(CryptoBackendChoice.AUTO);
    }

    /**
     * The backend for {@code choice}, selected and self-tested on first use.
     *
     * @throws ConfigurationRejectedException CRYPTO_BACKEND_UNAVAILABLE when an explicit choice cannot load
     *                                here or fails its self-test
     */
    public static CryptoBackend select(CryptoBackendChoice choice) {
        CryptoBackend selected = SELECTED.get(choice);
        if (selected != null) {
            return selected;
        }
        return SELECTED.computeIfAbsent(choice, c -> c == CryptoBackendChoice.AUTO
                ? selectAuto(CryptoBackends::load, SelfTest::check, JDK_VECTOR_CHACHA20_POLY1305)
                : selectExplicit(c, CryptoBackends::load));
    }

    /** The explicit choices that load and pass their self-tests in this process, for tests and benchmarks. */
    public static List<CryptoBackendChoice> loadable() {
        List<CryptoBackendChoice> loadable = new ArrayList<>();
        for (CryptoBackendChoice choice : CryptoBackendChoice.values()) {
            if (choice == CryptoBackendChoice.AUTO) {
                continue;
            }
            try {
                select(choice);
                loadable.add(choice);
            } catch (SecureChannelException notHere) {
                // Not loadable in this process (Conscrypt absent or unsupported): simply not listed.
            }
        }
        return loadable;
    }

    /** An explicit choice's selection, with its loader passed in so tests can make it fail. */
    static CryptoBackend selectExplicit(CryptoBackendChoice choice, Function<CryptoBackendChoice, CryptoBackend> loader) {
        CryptoBackend implementation;
        try {
            implementation = loader.apply(choice);
            for (CryptoBackend.Operation operation : CryptoBackend.Operation.values()) {
                SelfTest.check(implementation, operation);
            }
        } catch (RuntimeException | LinkageError e) {
            throw new ConfigurationRejectedException(ConfigurationProblem.CRYPTO_BACKEND_UNAVAILABLE, "crypto backend '" + choice.settingValue()
                    + "' was chosen but cannot be used: " + e.getMessage() + "; choose auto or another of conscrypt|jdk|bouncycastle", e);
        }
        Map<CryptoBackend.Operation, SelectedBackend.Pick> picks = new EnumMap<>(CryptoBackend.Operation.class);
        for (CryptoBackend.Operation operation : CryptoBackend.Operation.values()) {
            picks.put(operation, new SelectedBackend.Pick(implementation, "chosen explicitly (" + choice.settingValue() + ")"));
        }
        return new SelectedBackend(choice.settingValue(), implementation.description(), picks);
    }

    /**
     * Auto's selection with its collaborators passed in, so tests can make an implementation
     * unavailable or fail its self-test.
     *
     * @param loader                  loads one explicit implementation, or throws when it cannot load here
     * @param selfTest                checks one operation of an implementation, or throws
     * @param jdkVectorChaCha20Poly1305 whether HotSpot runs ChaCha20 and Poly1305 on AVX-512 intrinsics here
     */
    static CryptoBackend selectAuto(Function<CryptoBackendChoice, CryptoBackend> loader,
                                    BiConsumer<CryptoBackend, CryptoBackend.Operation> selfTest,
                                    boolean jdkVectorChaCha20Poly1305) {
        Map<CryptoBackend.Operation, List<Candidate>> preferences = preferences(jdkVectorChaCha20Poly1305);
        Map<CryptoBackendChoice, CryptoBackend> loaded = new EnumMap<>(CryptoBackendChoice.class);
        Set<CryptoBackendChoice> unloadable = java.util.EnumSet.noneOf(CryptoBackendChoice.class);
        List<String> failures = new ArrayList<>();
        boolean onlyAbsent = true;
        Map<CryptoBackend.Operation, SelectedBackend.Pick> picks = new EnumMap<>(CryptoBackend.Operation.class);
        for (CryptoBackend.Operation operation : CryptoBackend.Operation.values()) {
            for (Candidate candidate : preferences.get(operation)) {
                CryptoBackendChoice choice = candidate.choice();
                if (unloadable.contains(choice)) {
                    continue;
                }
                CryptoBackend implementation = loaded.get(choice);
                if (implementation == null) {
                    try {
                        implementation = loader.apply(choice);
                        loaded.put(choice, implementation);
                    } catch (RuntimeException | LinkageError e) {
                        unloadable.add(choice);
                        failures.add(choice.settingValue() + " unavailable (" + e.getMessage() + ")");
                        onlyAbsent &= String.valueOf(e.getMessage()).contains("not on the class path");
                        continue;
                    }
                }
                try {
                    selfTest.accept(implementation, operation);
                } catch (RuntimeException | LinkageError e) {
                    failures.add(e.getMessage());
                    onlyAbsent = false;
                    continue;
                }
                picks.put(operation, new SelectedBackend.Pick(implementation, candidate.reason()));
                break;
            }
            if (!picks.containsKey(operation)) {
                throw new IllegalStateException("no crypto backend passed the " + SelfTest.label(operation) + " self-test: " + failures);
            }
        }
        Set<String> used = new LinkedHashSet<>();
        picks.values().forEach(pick -> used.add(pick.implementation().description()));
        CryptoBackend selected = new SelectedBackend(CryptoBackendChoice.AUTO.settingValue(), String.join(" + ", used), picks);
        if (!failures.isEmpty()) {
            // Conscrypt is optional: without it on the class path nothing is wrong, and a plain
            // client would print this on every run; the choice stays visible in the backend's description.
            LOG.log(onlyAbsent ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    "secure-channel: crypto backend auto fell back: " + String.join("; ", failures) + "; using " + selected.description());
        }
        return selected;
    }

    /** One explicit implementation, loaded once per process but not yet self-tested; for tests. */
    static CryptoBackend selectExplicitImplementation(CryptoBackendChoice choice) {
        return load(choice);
    }

    private static CryptoBackend load(CryptoBackendChoice choice) {
        return LOADED.computeIfAbsent(choice, c -> switch (c) {
            case CONSCRYPT -> ConscryptLoader.load();
            case JDK -> JcaBackend.jdk();
            case BOUNCYCASTLE -> new BouncyCastleBackend();
            case AUTO -> throw new IllegalArgumentException("auto is a selection, not an implementation");
        });
    }

    private static Map<CryptoBackend.Operation, List<Candidate>> preferences(boolean jdkVectorChaCha20Poly1305) {
        Map<CryptoBackend.Operation, List<Candidate>> preferences = new EnumMap<>(CryptoBackend.Operation.class);
        String lastResort = "the preferred implementations could not be used; this one passed its self-test";
        Candidate conscryptChaCha = new Candidate(CryptoBackendChoice.CONSCRYPT, "fastest measured without AVX-512 intrinsics: "
                + "343-744 MB/s of seal and open on an AVX2 EPYC, against the JDK's 76-176 and BouncyCastle's 59-87 MB/s");
        Candidate jdkChaCha = new Candidate(CryptoBackendChoice.JDK, "without Conscrypt, the JDK's cipher beats BouncyCastle's "
                + "on JDK 17 and 25 (76-176 against 59-87 MB/s)");
        if (jdkVectorChaCha20Poly1305) {
            preferences.put(CryptoBackend.Operation.CHACHA20_POLY1305, List.of(
                    new Candidate(CryptoBackendChoice.JDK, "HotSpot's ChaCha20 and Poly1305 intrinsics run on AVX-512 here (JDK 21+, "
                            + "UseAVX=3): seal and open of 1 MiB measured 0.91 ms against Conscrypt's 1.12 ms on an AVX-512 EPYC"),
                    conscryptChaCha,
                    new Candidate(CryptoBackendChoice.BOUNCYCASTLE, lastResort)));
        } else {
            preferences.put(CryptoBackend.Operation.CHACHA20_POLY1305, List.of(conscryptChaCha, jdkChaCha,
                    new Candidate(CryptoBackendChoice.BOUNCYCASTLE, lastResort)));
        }
        preferences.put(CryptoBackend.Operation.AES_256_GCM, List.of(
                new Candidate(CryptoBackendChoice.CONSCRYPT, "fastest measured: 462-1,731 MB/s of seal and open on an AVX2 EPYC, "
                        + "and steady at 1 MiB, where the JDK's cipher can stay near 20 MB/s until its JIT settles"),
                new Candidate(CryptoBackendChoice.JDK, "without Conscrypt, the JDK's AES-NI intrinsics beat BouncyCastle's Java AES "
                        + "(511-567 MB/s at 1,536 B, though about 20 MB/s while the JIT first meets 1 MiB messages)"),
                new Candidate(CryptoBackendChoice.BOUNCYCASTLE, lastResort)));
        preferences.put(CryptoBackend.Operation.X25519, List.of(
                new Candidate(CryptoBackendChoice.CONSCRYPT, "fastest measured: key generation 20-23 us and agreement 42-58 us, against "
                        + "BouncyCastle's 52-59 and 129-155 us and the JDK's 295-309 and 231-313 us"),
                new Candidate(CryptoBackendChoice.BOUNCYCASTLE, "without Conscrypt, BouncyCastle's RFC 7748 code is 2-5 times faster than "
                        + "the JDK's XDH (key generation 52-59 against 295-309 us)"),
                new Candidate(CryptoBackendChoice.JDK, lastResort)));
        preferences.put(CryptoBackend.Operation.HASH, List.of(
                new Candidate(CryptoBackendChoice.JDK, "the JDK's SHA-256 is a HotSpot intrinsic (SHA extensions where the CPU has them); "
                        + "transcript and HKDF inputs are small, where a native call per update (Conscrypt) is not expected to pay off"),
                new Candidate(CryptoBackendChoice.BOUNCYCASTLE, lastResort)));
        return preferences;
    }

    /**
     * Whether HotSpot runs ChaCha20-Poly1305 on its AVX-512 intrinsics: JDK 21 and later (both
     * intrinsics arrived in JDK 20) with {@code UseAVX} at 3. The intrinsic switches themselves
     * are diagnostic flags that the management API does not expose; {@code UseAVX} is not.
     * Any doubt (another CPU architecture, another VM) answers no.
     */
    static boolean jdkHasVectorChaCha20Poly1305() {
        if (Runtime.version().feature() < 21) {
            return false;
        }
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotSpot =
                    java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotSpot != null && Integer.parseInt(hotSpot.getVMOption("UseAVX").getValue()) >= 3;
        } catch (RuntimeException | LinkageError notHotSpotOnX86) {
            return false;
        }
    }
}
