package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the crypto backend is selected: auto's per-operation choice and its fallbacks, explicit
 * choices, the self-test gate, and pinning one through {@link SessionConfig}.
 */
class CryptoBackendsTest {

    private static final Function<CryptoBackendChoice, CryptoBackend> REAL = CryptoBackends::selectExplicitImplementation;
    private static final BiConsumer<CryptoBackend, CryptoBackend.Operation> REAL_SELF_TEST = SelfTest::check;

    @Test
    void everyBackendLoadsWhereTheTestsRun() {
        // Conscrypt is on the core's test class path and ships a native library for this platform.
        assertThat(CryptoBackends.loadable())
                .containsExactly(CryptoBackendChoice.CONSCRYPT, CryptoBackendChoice.JDK, CryptoBackendChoice.BOUNCYCASTLE);
    }

    @Test
    void autoWithConscryptRunsTheAeadsAndX25519OnConscryptAndHashesOnTheJdk() {
        CryptoBackend auto = CryptoBackends.selectAuto(REAL, REAL_SELF_TEST, false);

        assertThat(auto.name()).isEqualTo("auto");
        assertThat(auto.implementation(CryptoBackend.Operation.CHACHA20_POLY1305)).isEqualTo("conscrypt");
        assertThat(auto.implementation(CryptoBackend.Operation.AES_256_GCM)).isEqualTo("conscrypt");
        assertThat(auto.implementation(CryptoBackend.Operation.X25519)).isEqualTo("conscrypt");
        assertThat(auto.implementation(CryptoBackend.Operation.HASH)).isEqualTo("jdk");
        assertThat(auto.description()).startsWith("conscrypt 2.9.0 (BoringSSL)")
                .endsWith(": chacha20-poly1305=conscrypt aes-256-gcm=conscrypt x25519=conscrypt hash=jdk");
        assertThat(auto.reason(CryptoBackend.Operation.AES_256_GCM)).contains("MB/s");
        assertThat(auto.reason(CryptoBackend.Operation.HASH)).contains("intrinsic");
    }

    @Test
    void whereHotSpotVectorisesChaCha20Poly1305AutoRunsItOnTheJdkAndAesGcmOnConscrypt() {
        CryptoBackend auto = CryptoBackends.selectAuto(REAL, REAL_SELF_TEST, true);

        assertThat(auto.implementation(CryptoBackend.Operation.CHACHA20_POLY1305)).isEqualTo("jdk");
        assertThat(auto.reason(CryptoBackend.Operation.CHACHA20_POLY1305)).contains("AVX-512");
        assertThat(auto.implementation(CryptoBackend.Operation.AES_256_GCM)).isEqualTo("conscrypt");
        assertThat(auto.description()).endsWith(": chacha20-poly1305=jdk aes-256-gcm=conscrypt x25519=conscrypt hash=jdk");
    }

    @Test
    void theProcessWideAutoSelectionFollowsThisJvmsChaCha20Poly1305Intrinsics() {
        String expected = CryptoBackends.jdkHasVectorChaCha20Poly1305() ? "jdk" : "conscrypt";

        assertThat(CryptoBackends.auto().implementation(CryptoBackend.Operation.CHACHA20_POLY1305)).isEqualTo(expected);
    }

    @Test
    void jdk17NeverCountsAsVectorisingChaCha20Poly1305() {
        if (Runtime.version().feature() < 21) {
            assertThat(CryptoBackends.jdkHasVectorChaCha20Poly1305()).isFalse();
        } else {
            // On 21 and later the answer follows UseAVX, which this JVM reports.
            assertThat(CryptoBackends.jdkHasVectorChaCha20Poly1305()).isEqualTo(useAvx() >= 3);
        }
    }

    private static int useAvx() {
        try {
            return Integer.parseInt(java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseAVX").getValue());
        } catch (RuntimeException notX86) {
            return 0;
        }
    }

    @Test
    void autoWithoutConscryptTakesTheJdkAeadBouncyCastleX25519AndTheJdkHash() {
        Function<CryptoBackendChoice, CryptoBackend> noConscrypt = choice -> {
            if (choice == CryptoBackendChoice.CONSCRYPT) {
                throw new IllegalStateException("Conscrypt's native library does not load on plan9/mips: UnsatisfiedLinkError");
            }
            return REAL.apply(choice);
        };
        List<String> log = new ArrayList<>();

        CryptoBackend auto = capturingLog(log, () -> CryptoBackends.selectAuto(noConscrypt, REAL_SELF_TEST, false));

        assertThat(auto.description()).endsWith(": chacha20-poly1305=jdk aes-256-gcm=jdk x25519=bouncycastle hash=jdk");
        assertThat(auto.reason(CryptoBackend.Operation.CHACHA20_POLY1305)).startsWith("without Conscrypt");
        assertThat(auto.reason(CryptoBackend.Operation.AES_256_GCM)).startsWith("without Conscrypt");
        assertThat(auto.reason(CryptoBackend.Operation.X25519)).startsWith("without Conscrypt");
        assertThat(log).singleElement().asString().startsWith("WARNING ")
                .contains("conscrypt unavailable", "plan9/mips", "chacha20-poly1305=jdk aes-256-gcm=jdk x25519=bouncycastle hash=jdk");
    }

    @Test
    void conscryptMissingFromTheClassPathIsOnlyADebugLine() {
        Function<CryptoBackendChoice, CryptoBackend> noConscrypt = choice -> {
            if (choice == CryptoBackendChoice.CONSCRYPT) {
                throw new IllegalStateException("Conscrypt is not on the class path (org.conscrypt:conscrypt-openjdk-uber)");
            }
            return REAL.apply(choice);
        };
        List<String> log = new ArrayList<>();

        capturingLog(log, () -> CryptoBackends.selectAuto(noConscrypt, REAL_SELF_TEST, false));

        // System.Logger's DEBUG is java.util.logging's FINE: below the console's default INFO.
        assertThat(log).singleElement().asString().startsWith("FINE ").contains("conscrypt unavailable");
    }

    @Test
    void autoWithoutConscryptOnTheClassPathFallsBack() throws Exception {
        URL core = CryptoBackends.class.getProtectionDomain().getCodeSource().getLocation();
        URL bouncyCastle = org.bouncycastle.math.ec.rfc7748.X25519.class.getProtectionDomain().getCodeSource().getLocation();
        // A class path of the core and BouncyCastle only, as a program without Conscrypt has.
        try (URLClassLoader withoutConscrypt = new URLClassLoader(new URL[] {core, bouncyCastle}, ClassLoader.getPlatformClassLoader())) {
            Class<?> backends = Class.forName(CryptoBackends.class.getName(), true, withoutConscrypt);
            Class<?> backendType = Class.forName(CryptoBackend.class.getName(), true, withoutConscrypt);
            assertThatThrownBy(() -> Class.forName("org.conscrypt.Conscrypt", false, withoutConscrypt))
                    .isInstanceOf(ClassNotFoundException.class);

            Object auto = backends.getMethod("auto").invoke(null);

            assertThat(backendType.getMethod("description").invoke(auto)).asString()
                    .endsWith(": chacha20-poly1305=jdk aes-256-gcm=jdk x25519=bouncycastle hash=jdk");
        }
    }

    @Test
    void autoFallsBackPerOperationWhenAnImplementationFailsItsSelfTest() {
        BiConsumer<CryptoBackend, CryptoBackend.Operation> conscryptAeadBroken = (backend, operation) -> {
            if (backend.name().equals("conscrypt") && operation == CryptoBackend.Operation.AES_256_GCM) {
                throw new IllegalStateException("conscrypt aes-256-gcm self-test failed: AES_256_GCM GCM test case 16 sealed to the wrong bytes");
            }
            REAL_SELF_TEST.accept(backend, operation);
        };
        List<String> log = new ArrayList<>();

        CryptoBackend auto = capturingLog(log, () -> CryptoBackends.selectAuto(REAL, conscryptAeadBroken, false));

        assertThat(auto.description()).endsWith(": chacha20-poly1305=conscrypt aes-256-gcm=jdk x25519=conscrypt hash=jdk");
        assertThat(log).singleElement().asString().contains("conscrypt aes-256-gcm self-test failed", "GCM test case 16");
    }

    @Test
    void autoLogsNothingWhenThePreferredImplementationsLoad() {
        List<String> log = new ArrayList<>();

        capturingLog(log, () -> CryptoBackends.selectAuto(REAL, REAL_SELF_TEST, false));

        assertThat(log).isEmpty();
    }

    @Test
    void explicitChoiceThatCannotLoadIsAConfigurationErrorNamingTheChoice() {
        Function<CryptoBackendChoice, CryptoBackend> unavailable = choice -> {
            throw new IllegalStateException("Conscrypt is not on the class path (org.conscrypt:conscrypt-openjdk-uber)");
        };

        assertThatThrownBy(() -> CryptoBackends.selectExplicit(CryptoBackendChoice.CONSCRYPT, unavailable))
                .isInstanceOfSatisfying(SecureChannelException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.CONFIGURATION_REJECTED))
                .hasMessageContaining("crypto backend 'conscrypt'")
                .hasMessageContaining("not on the class path");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CryptoBackendChoice.class, names = "AUTO", mode = EnumSource.Mode.EXCLUDE)
    void explicitChoiceRunsEveryOperationOnThatImplementation(CryptoBackendChoice choice) {
        CryptoBackend backend = CryptoBackends.select(choice);

        assertThat(backend.name()).isEqualTo(choice.settingValue());
        for (CryptoBackend.Operation operation : CryptoBackend.Operation.values()) {
            assertThat(backend.implementation(operation)).isEqualTo(choice.settingValue());
            assertThat(backend.reason(operation)).contains("chosen explicitly");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CryptoBackendChoice.class, names = "AUTO", mode = EnumSource.Mode.EXCLUDE)
    void everyImplementationPassesEverySelfTest(CryptoBackendChoice choice) {
        CryptoBackend implementation = REAL.apply(choice);

        for (CryptoBackend.Operation operation : CryptoBackend.Operation.values()) {
            SelfTest.check(implementation, operation);
        }
    }

    @Test
    void selectionIsMadeOncePerChoice() {
        assertThat(CryptoBackends.select(CryptoBackendChoice.AUTO)).isSameAs(CryptoBackends.auto());
        assertThat(CryptoBackends.select(CryptoBackendChoice.JDK)).isSameAs(CryptoBackends.select(CryptoBackendChoice.JDK));
    }

    @Test
    void sessionConfigUsesAutoUnlessABackendIsPinned() {
        SessionConfig byDefault = developmentConfig().build();
        SessionConfig pinned = developmentConfig().cryptoBackend(CryptoBackendChoice.BOUNCYCASTLE).build();

        assertThat(SessionConfigInternals.cryptoBackend(byDefault)).isSameAs(CryptoBackends.auto());
        assertThat(SessionConfigInternals.cryptoBackend(pinned).name()).isEqualTo("bouncycastle");
    }

    @Test
    void settingsParseCaseInsensitivelyAndABadOneNamesTheAllowedValues() {
        assertThat(CryptoBackendChoice.fromSetting("BouncyCastle")).isEqualTo(CryptoBackendChoice.BOUNCYCASTLE);
        assertThat(CryptoBackendChoice.fromSetting(" auto ")).isEqualTo(CryptoBackendChoice.AUTO);
        assertThatThrownBy(() -> CryptoBackendChoice.fromSetting("openssl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto|conscrypt|jdk|bouncycastle");
    }

    private static SessionConfig.Builder developmentConfig() {
        return SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier());
    }

    /** Runs {@code selection} with the selector's log lines (System.Logger, here backed by java.util.logging) captured. */
    private static <T> T capturingLog(List<String> lines, java.util.function.Supplier<T> selection) {
        Logger logger = Logger.getLogger(CryptoBackends.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previousLevel = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        try {
            return selection.get();
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(previousLevel);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("dev.securechannel.internal.crypto.CryptoBackends#loadable")
    void everyBackendGeneratesConsistentFreshX25519Pairs(CryptoBackendChoice choice) {
        CryptoBackend backend = CryptoBackends.select(choice);
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] firstPublic = new byte[X25519KeyPair.KEY_LENGTH];
        byte[] first = backend.x25519GenerateKeyPair(random, firstPublic);
        byte[] secondPublic = new byte[X25519KeyPair.KEY_LENGTH];
        byte[] second = backend.x25519GenerateKeyPair(random, secondPublic);

        assertThat(backend.x25519PublicKey(first)).isEqualTo(firstPublic);
        assertThat(backend.x25519PublicKey(second)).isEqualTo(secondPublic);
        assertThat(first).hasSize(32).isNotEqualTo(second);
        byte[] agreedOneWay = new byte[32];
        byte[] agreedOtherWay = new byte[32];
        assertThat(backend.x25519Agree(first, secondPublic, agreedOneWay)).isTrue();
        assertThat(backend.x25519Agree(second, firstPublic, agreedOtherWay)).isTrue();
        assertThat(agreedOneWay).isEqualTo(agreedOtherWay);
    }
}
