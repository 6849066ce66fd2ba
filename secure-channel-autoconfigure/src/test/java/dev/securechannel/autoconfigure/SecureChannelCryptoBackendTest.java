package dev.securechannel.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.SecureChannelException;
import dev.securechannel.actuate.endpoint.CryptoBackendDescriptor;
import dev.securechannel.autoconfigure.health.SecureChannelHealthContributorAutoConfiguration;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.health.SecureChannelHealthIndicator;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.EphemeralKeyPool;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code secure-channel.crypto.backend}: which backend the shared {@link SessionConfig} and the
 * key pool run on, how a bad or unloadable setting stops startup, and where the choice is
 * reported. This module's tests run without Conscrypt on the class path (the starter brings
 * it), so auto here is the JDK's AEAD and hash with BouncyCastle's X25519.
 */
class SecureChannelCryptoBackendTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelAutoConfiguration.class, SecureChannelHealthContributorAutoConfiguration.class))
            .withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock");

    @Test
    void autoIsTheDefaultAndFallsBackWithoutConscrypt() {
        assertThatThrownBy(() -> Class.forName("org.conscrypt.Conscrypt")).isInstanceOf(ClassNotFoundException.class);

        runner.run(context -> {
            CryptoBackend backend = SessionConfigInternals.cryptoBackend(context.getBean(SessionConfig.class));
            assertThat(backend.name()).isEqualTo("auto");
            assertThat(backend.description()).endsWith(": chacha20-poly1305=jdk aes-256-gcm=jdk x25519=bouncycastle hash=jdk");
        });
    }

    @Test
    void anExplicitBackendRunsTheSessionsAndTheKeyPool() {
        runner.withPropertyValues("secure-channel.crypto.backend=bouncycastle", "secure-channel.key-pool.enabled=true").run(context -> {
            assertThat(SessionConfigInternals.cryptoBackend(context.getBean(SessionConfig.class)).name()).isEqualTo("bouncycastle");
            assertThat(context).hasSingleBean(EphemeralKeyPool.class);
            assertThat(SessionConfigInternals.newEphemeralKeyPair(context.getBean(SessionConfig.class)).publicKey()).hasSize(32);
        });
    }

    @Test
    void anExplicitBackendThatCannotLoadStopsStartupNamingThePropertyAndTheFix() {
        runner.withPropertyValues("secure-channel.crypto.backend=conscrypt").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new SecureChannelConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("crypto backend 'conscrypt'", "not on the class path");
            assertThat(analysis.getAction()).contains("secure-channel.crypto.backend=auto", "org.conscrypt:conscrypt-openjdk-uber");
            assertThat(rootOfType(context.getStartupFailure(), SecureChannelException.class)).isNotNull();
        });
    }

    @Test
    void aBadValueFailsBindingOnTheProperty() {
        runner.withPropertyValues("secure-channel.crypto.backend=openssl").run(context -> {
            assertThat(context).hasFailed();
            BindException bind = rootOfType(context.getStartupFailure(), BindException.class);
            assertThat(bind).isNotNull();
            assertThat(bind.getProperty().getName().toString()).isEqualTo("secure-channel.crypto.backend");
            assertThat(bind.getProperty().getValue()).isEqualTo("openssl");
        });
    }

    @Test
    void healthDetailsNameTheBackendAndWhy() {
        runner.withPropertyValues("secure-channel.crypto.backend=jdk").run(context -> {
            Object crypto = context.getBean(SecureChannelHealthIndicator.class).health().getDetails().get("crypto");
            assertThat(crypto).isInstanceOfSatisfying(CryptoBackendDescriptor.class, descriptor -> {
                assertThat(descriptor.backend()).isEqualTo("jdk");
                assertThat(descriptor.operations().get("x25519").implementation()).isEqualTo("jdk");
            });
        });
    }

    private static <T extends Throwable> T rootOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
