package dev.securechannel.handshake;

import dev.securechannel.ConfigurationProblem;
import dev.securechannel.ConfigurationRejectedException;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.ExpectedMeasurements;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.CryptoBackends;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import dev.securechannel.internal.protocol.FrameCodec;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything one side needs to run handshakes and sessions: attestation, expected
 * measurements, profile, protocol extensions, limits and randomness. Immutable and thread-safe; build one and
 * share it across connections.
 *
 * <p>{@link Builder#build()} enforces the profile, so a misconfigured side refuses before
 * any I/O: the production profile (the default) rejects insecure attestation and missing
 * expected measurements; {@code requireMeasurements} rejects missing ones in any profile.
 */
public final class SessionConfig {

    /** Default cap on a frame's payload: 4 MiB (the protocol allows up to 32 MiB). */
    public static final int DEFAULT_MAX_PAYLOAD_LENGTH = 4 * 1024 * 1024;
    /** Default handshake timeout. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(SessionConfig.class.getName());
    /**
     * Whether this process has warned that no measurements are expected. A client or server
     * builds a configuration per endpoint, per test, or per reconnecting component; the
     * posture is worth one warning, not one per configuration.
     */
    private static final AtomicBoolean WARNED_NO_MEASUREMENTS = new AtomicBoolean();

    private final AttestationProvider attestationProvider;
    private final AttestationVerifier attestationVerifier;
    private final ExpectedMeasurements expectedMeasurements;
    private final SecurityProfile securityProfile;
    private final Duration handshakeTimeout;
    private final Duration idleTimeout;
    private final int maxPayloadLength;
    private final SecureRandom secureRandom;
    private final Supplier<X25519KeyPair> ephemeralKeys;
    private final KeyUpdatePolicy keyUpdatePolicy;
    private final ExtensionMode aes256Gcm;
    private final ExtensionMode keyUpdate;
    private final Extensions enabledExtensions;
    private final Extensions requiredExtensions;
    private final CryptoBackendChoice cryptoBackendChoice;
    private final CryptoBackend cryptoBackend;

    static {
        new Internals();
    }

    private SessionConfig(Builder builder, AttestationProvider provider, AttestationVerifier verifier, SecureRandom random,
                          CryptoBackend backend) {
        this.attestationProvider = provider;
        this.attestationVerifier = verifier;
        this.expectedMeasurements = builder.expectedMeasurements;
        this.securityProfile = builder.securityProfile;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.idleTimeout = builder.idleTimeout;
        this.maxPayloadLength = builder.maxPayloadLength;
        this.secureRandom = random;
        this.cryptoBackendChoice = builder.cryptoBackend;
        this.cryptoBackend = backend;
        this.aes256Gcm = builder.aes256Gcm;
        this.keyUpdate = builder.keyUpdate;
        this.ephemeralKeys = builder.ephemeralKeys != null ? builder.ephemeralKeys : () -> X25519KeyPair.generate(backend, random);
        this.keyUpdatePolicy = builder.keyUpdatePolicy;
        this.enabledExtensions = new Extensions(builder.bitsIn(ExtensionMode.OFFER) | builder.bitsIn(ExtensionMode.REQUIRE));
        this.requiredExtensions = new Extensions(builder.bitsIn(ExtensionMode.REQUIRE));
    }

    /** Forgets that the process has warned about missing measurements, so a test can see the first warning. */
    static void resetOncePerProcessWarnings() {
        WARNED_NO_MEASUREMENTS.set(false);
    }

    /** A new builder with production defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A development configuration with insecure mock attestation on both sides and no
     * expected measurements: for tests and local development only.
     */
    public static SessionConfig insecureDevelopment() {
        return builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .build();
    }

    /** Produces this side's evidence. */
    public AttestationProvider attestationProvider() {
        return attestationProvider;
    }

    /** Checks the peer's evidence. */
    public AttestationVerifier attestationVerifier() {
        return attestationVerifier;
    }

    /** Measurements the peer must present. */
    public ExpectedMeasurements expectedMeasurements() {
        return expectedMeasurements;
    }

    /** The profile this configuration was validated against. */
    public SecurityProfile securityProfile() {
        return securityProfile;
    }

    /** How long a whole handshake may take. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long an established session may stay silent before it is closed; zero means never. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** The largest payload_len accepted in an established session (ciphertext and tag). */
    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    /** The source of nonces and, by default, ephemeral keys. */
    public SecureRandom secureRandom() {
        return secureRandom;
    }

    /** Whether AES-256-GCM record protection (PROTOCOL.md section 8.2) is offered, required or off. */
    public ExtensionMode aes256Gcm() {
        return aes256Gcm;
    }

    /** Whether key update (PROTOCOL.md section 8.3) is offered, required or off. */
    public ExtensionMode keyUpdate() {
        return keyUpdate;
    }

    /** The crypto backend asked for; {@link CryptoBackendChoice#AUTO} unless pinned. */
    public CryptoBackendChoice cryptoBackendChoice() {
        return cryptoBackendChoice;
    }

    /** When a session with key update replaces its sending key, beyond the protocol's own limits. */
    public KeyUpdatePolicy keyUpdatePolicy() {
        return keyUpdatePolicy;
    }

    /** Builds a {@link SessionConfig}. Not thread-safe. */
    public static final class Builder {

        private @Nullable AttestationProvider attestationProvider;
        private @Nullable AttestationVerifier attestationVerifier;
        private ExpectedMeasurements expectedMeasurements = ExpectedMeasurements.none();
        private SecurityProfile securityProfile = SecurityProfile.PRODUCTION;
        private boolean requireMeasurements;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration idleTimeout = Duration.ZERO;
        private int maxPayloadLength = DEFAULT_MAX_PAYLOAD_LENGTH;
        private @Nullable SecureRandom secureRandom;
        private @Nullable Supplier<X25519KeyPair> ephemeralKeys;
        private KeyUpdatePolicy keyUpdatePolicy = KeyUpdatePolicy.DEFAULT;
        private ExtensionMode aes256Gcm = ExtensionMode.OFFER;
        private ExtensionMode keyUpdate = ExtensionMode.OFFER;
        private CryptoBackendChoice cryptoBackend = CryptoBackendChoice.AUTO;

        private Builder() {
        }

        /** AES-256-GCM record protection (extension 0x10, PROTOCOL.md section 8.2); offered by default. */
        public Builder aes256Gcm(ExtensionMode mode) {
            this.aes256Gcm = Objects.requireNonNull(mode);
            return this;
        }

        /** Key update (extension 0x20, PROTOCOL.md section 8.3); offered by default. */
        public Builder keyUpdate(ExtensionMode mode) {
            this.keyUpdate = Objects.requireNonNull(mode);
            return this;
        }

        /**
         * Turns every extension off: this side then speaks exactly base version 4 (hello flags 0,
         * the reference crate's behaviour), for peers or tests that need it.
         */
        public Builder baseProtocolOnly() {
            return aes256Gcm(ExtensionMode.OFF).keyUpdate(ExtensionMode.OFF);
        }

        private int bitsIn(ExtensionMode mode) {
            return (aes256Gcm == mode ? Extensions.AES_256_GCM : 0) | (keyUpdate == mode ? Extensions.KEY_UPDATE : 0);
        }

        /** This side's evidence source (required). */
        public Builder attestationProvider(AttestationProvider provider) {
            this.attestationProvider = Objects.requireNonNull(provider);
            return this;
        }

        /** The verifier for the peer's evidence (required). */
        public Builder attestationVerifier(AttestationVerifier verifier) {
            this.attestationVerifier = Objects.requireNonNull(verifier);
            return this;
        }

        /** Measurements the peer must present (required in production). */
        public Builder expectedMeasurements(ExpectedMeasurements measurements) {
            this.expectedMeasurements = Objects.requireNonNull(measurements);
            return this;
        }

        /** The profile; {@link SecurityProfile#PRODUCTION} by default. */
        public Builder securityProfile(SecurityProfile profile) {
            this.securityProfile = Objects.requireNonNull(profile);
            return this;
        }

        /** Require expected measurements even in the development profile. */
        public Builder requireMeasurements(boolean require) {
            this.requireMeasurements = require;
            return this;
        }

        /** How long a whole handshake may take; 30 s by default. */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive");
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** How long an established session may stay silent; zero (the default) means no limit. */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("idle timeout must not be negative");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** The largest payload_len accepted after the handshake; 4 MiB by default, 32 MiB at most. */
        public Builder maxPayloadLength(int length) {
            if (length < 16 || length > FrameCodec.MAX_PAYLOAD_LENGTH) {
                throw new IllegalArgumentException("max payload length must be within 16.." + FrameCodec.MAX_PAYLOAD_LENGTH);
            }
            this.maxPayloadLength = length;
            return this;
        }

        /** The randomness source; a new {@link SecureRandom} by default. */
        public Builder secureRandom(SecureRandom random) {
            this.secureRandom = Objects.requireNonNull(random);
            return this;
        }

        /** When a session with key update replaces its sending key; {@link KeyUpdatePolicy#DEFAULT} by default. */
        public Builder keyUpdatePolicy(KeyUpdatePolicy policy) {
            this.keyUpdatePolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * Pins the crypto backend; {@link CryptoBackendChoice#AUTO} (the default) uses the
         * process-wide {@link CryptoBackends#auto()}. An explicit choice that cannot load here or
         * fails its self-test makes {@link #build()} throw CONFIGURATION_REJECTED.
         */
        public Builder cryptoBackend(CryptoBackendChoice choice) {
            this.cryptoBackend = Objects.requireNonNull(choice);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigurationRejectedException CONFIGURATION_REJECTED, with the problem, when the profile forbids this configuration
         */
        public SessionConfig build() {
            if (attestationProvider == null || attestationVerifier == null) {
                throw new ConfigurationRejectedException(ConfigurationProblem.NO_ATTESTATION, "an attestation provider and verifier are required");
            }
            if (securityProfile == SecurityProfile.PRODUCTION) {
                if (attestationProvider.isInsecure() || attestationVerifier.isInsecure()) {
                    throw new ConfigurationRejectedException(ConfigurationProblem.INSECURE_ATTESTATION,
                            "the production profile refuses insecure mock attestation");
                }
                if (expectedMeasurements.isEmpty()) {
                    throw new ConfigurationRejectedException(ConfigurationProblem.MEASUREMENTS_REQUIRED,
                            "the production profile requires expected measurements");
                }
            }
            if (requireMeasurements && expectedMeasurements.isEmpty()) {
                throw new ConfigurationRejectedException(ConfigurationProblem.MEASUREMENTS_REQUIRED,
                        "expected measurements are required but none are set");
            }
            if (expectedMeasurements.isEmpty()) {
                LOG.log(WARNED_NO_MEASUREMENTS.compareAndSet(false, true) ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "secure-channel: no expected measurements; any attested peer is accepted (development profile)");
            }
            SecureRandom random = secureRandom != null ? secureRandom : new SecureRandom();
            return new SessionConfig(this, attestationProvider, attestationVerifier, random, CryptoBackends.select(cryptoBackend));
        }
    }

    /** The one {@link SessionConfigInternals}: the protocol implementation's view of a configuration. */
    private static final class Internals extends SessionConfigInternals {

        @Override
        protected CryptoBackend backendOf(SessionConfig config) {
            return config.cryptoBackend;
        }

        @Override
        protected Extensions enabledOf(SessionConfig config) {
            return config.enabledExtensions;
        }

        @Override
        protected Extensions requiredOf(SessionConfig config) {
            return config.requiredExtensions;
        }

        @Override
        protected X25519KeyPair ephemeralKeyPairOf(SessionConfig config) {
            return config.ephemeralKeys.get();
        }

        @Override
        protected Builder withEphemeralKeys(Builder builder, Supplier<X25519KeyPair> source) {
            builder.ephemeralKeys = Objects.requireNonNull(source);
            return builder;
        }
    }
}
