package dev.securechannel.autoconfigure;

import dev.securechannel.handshake.ExtensionMode;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.internal.protocol.FrameCodec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of secure-channel endpoints and clients ({@code secure-channel.*}).
 *
 * <p>Validates itself while Spring Boot binds it (Boot's binder applies a properties object
 * that is a {@link Validator}), so a value out of range stops startup with Boot's report of
 * the property, its value, its origin and the allowed range, before any bean uses it.
 */
@ConfigurationProperties(prefix = "secure-channel")
public class SecureChannelProperties implements Validator {

    /** The values of {@code secure-channel.attestation.provider} this starter configures. */
    public static final List<String> ATTESTATION_PROVIDERS = List.of("mock", "sev-snp", "sev-snp-azure");

    /** Length of an expected measurement: every measurement our verifiers report is a SHA-384 digest. */
    public static final int MEASUREMENT_BYTES = 48;

    /**
     * Security profile. "production" refuses mock attestation and requires expected
     * measurements; "development" allows both, with a warning.
     */
    private SecurityProfile securityProfile = SecurityProfile.PRODUCTION;

    /** Require expected measurements even in the development profile. */
    private boolean requireMeasurements;

    /** How long a whole handshake may take before the connection is closed with 1008. */
    private Duration handshakeTimeout = Duration.ofSeconds(30);

    /**
     * Largest frame payload accepted (ciphertext and tag). Bigger messages close the
     * connection with 1009. The protocol allows up to 32MB.
     */
    private DataSize maxFrameSize = DataSize.ofMegabytes(4);

    private final Attestation attestation = new Attestation();

    private final Server server = new Server();

    private final Client client = new Client();

    private final KeyPool keyPool = new KeyPool();

    private final Extensions extensions = new Extensions();

    public SecurityProfile getSecurityProfile() {
        return securityProfile;
    }

    public void setSecurityProfile(SecurityProfile securityProfile) {
        this.securityProfile = securityProfile;
    }

    public boolean isRequireMeasurements() {
        return requireMeasurements;
    }

    public void setRequireMeasurements(boolean requireMeasurements) {
        this.requireMeasurements = requireMeasurements;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public DataSize getMaxFrameSize() {
        return maxFrameSize;
    }

    public void setMaxFrameSize(DataSize maxFrameSize) {
        this.maxFrameSize = maxFrameSize;
    }

    public Attestation getAttestation() {
        return attestation;
    }

    public Server getServer() {
        return server;
    }

    public Client getClient() {
        return client;
    }

    public KeyPool getKeyPool() {
        return keyPool;
    }

    public Extensions getExtensions() {
        return extensions;
    }

    /**
     * The types this object validates: itself and its nested objects. Boot's binder offers each
     * nested object as it finishes binding it, so each rejection is reported against the
     * nested object's own properties, with their origin.
     */
    @Override
    public boolean supports(Class<?> type) {
        return type == SecureChannelProperties.class || type == Server.class || type == Client.class || type == KeyPool.class
                || type == Extensions.class || type == Attestation.class || type == Map.class;
    }

    @Override
    public void validate(Object target, Errors errors) {
        if (target instanceof SecureChannelProperties root) {
            PropertyConstraints.positive(errors, "handshakeTimeout", root.handshakeTimeout);
            PropertyConstraints.sizeWithin(errors, "maxFrameSize", root.maxFrameSize, 16, FrameCodec.MAX_PAYLOAD_LENGTH,
                    "between 16B and 32MB (the protocol's largest frame)");
        } else if (target instanceof Server server) {
            server.validate(errors);
        } else if (target instanceof Client client) {
            client.validate(errors);
        } else if (target instanceof KeyPool keyPool) {
            PropertyConstraints.atLeast(errors, "size", keyPool.size, 1);
        } else if (target instanceof Extensions extensions) {
            extensions.validate(errors);
        } else if (target instanceof Attestation attestation) {
            attestation.validate(errors);
        } else if (target instanceof Map<?, ?> measurements && isExpectedMeasurements(errors)) {
            // Checked on the map itself, not on Attestation: only there does Boot find each entry's origin.
            measurements.forEach((index, hex) -> PropertyConstraints.hexOfLength(errors, String.valueOf(index),
                    hex instanceof String text ? text : null, MEASUREMENT_BYTES));
        }
    }

    private static boolean isExpectedMeasurements(Errors errors) {
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(errors.getObjectName(), '.');
        return "expected-measurements".equals(name.getLastElement(ConfigurationPropertyName.Form.DASHED));
    }

    /**
     * Protocol extensions negotiated in the handshake, for the endpoint and the client alike:
     * "off" never offers or accepts one, "offer" (the default) uses it when the peer has it too
     * and falls back to base version 4 otherwise, "require" refuses a peer without it (close 1008).
     */
    public static class Extensions {

        /**
         * AES-256-GCM record protection instead of ChaCha20-Poly1305 (off, offer or require).
         * Requiring it refuses base version 4 peers such as the reference crate.
         */
        @Name("aes-256-gcm")
        private ExtensionMode aes256Gcm = ExtensionMode.OFFER;

        /**
         * Key update, which renews each direction's key so a session may outlive one key's
         * limits (off, offer or require). Requiring it refuses base version 4 peers.
         */
        private ExtensionMode keyUpdate = ExtensionMode.OFFER;

        /**
         * With key update in use, the plaintext a sender seals under one key before it moves to
         * the next (at least 1MB). The protocol's own limits (2^32 frames, and 2^36 bytes under
         * AES-256-GCM) apply in any case.
         */
        private DataSize keyUpdateAfter = DataSize.ofBytes(KeyUpdatePolicy.DEFAULT.afterBytes());

        /** With key update in use, the age after which a sender's key is replaced by the next. */
        private Duration keyUpdateEvery = KeyUpdatePolicy.DEFAULT.afterTime();

        public ExtensionMode getAes256Gcm() {
            return aes256Gcm;
        }

        public void setAes256Gcm(ExtensionMode aes256Gcm) {
            this.aes256Gcm = aes256Gcm;
        }

        public ExtensionMode getKeyUpdate() {
            return keyUpdate;
        }

        public void setKeyUpdate(ExtensionMode keyUpdate) {
            this.keyUpdate = keyUpdate;
        }

        public DataSize getKeyUpdateAfter() {
            return keyUpdateAfter;
        }

        public void setKeyUpdateAfter(DataSize keyUpdateAfter) {
            this.keyUpdateAfter = keyUpdateAfter;
        }

        public Duration getKeyUpdateEvery() {
            return keyUpdateEvery;
        }

        public void setKeyUpdateEvery(Duration keyUpdateEvery) {
            this.keyUpdateEvery = keyUpdateEvery;
        }

        void validate(Errors errors) {
            PropertyConstraints.sizeWithin(errors, "keyUpdateAfter", keyUpdateAfter, KeyUpdatePolicy.MIN_AFTER_BYTES, Long.MAX_VALUE,
                    "at least 1MB");
            PropertyConstraints.positive(errors, "keyUpdateEvery", keyUpdateEvery);
        }

        /** The key update interval these settings describe. */
        public KeyUpdatePolicy keyUpdatePolicy() {
            return new KeyUpdatePolicy(keyUpdateAfter.toBytes(), keyUpdateEvery);
        }
    }

    /**
     * Ephemeral X25519 key pairs generated ahead of time by a background thread, taking key
     * generation off each handshake's critical path. Off by default: with Conscrypt a key pair
     * costs about 20 us, and on a small VM the refill thread competes with the handshakes for
     * the same cores (measured on 2 vCPUs: no faster than inline keys, slower on JDK 25). Worth
     * it where spare cores and bursts of handshakes meet.
     */
    public static class KeyPool {

        /** Whether handshakes take pre-generated ephemeral key pairs. */
        private boolean enabled;

        /** How many key pairs may wait in memory; each is used at most once and wiped at shutdown. */
        private int size = 16;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }
    }

    /** Attestation of this side and expectations of the peer. */
    public static class Attestation {

        /**
         * Attestation provider and verifier: "mock" (insecure, development only), "sev-snp" or
         * "sev-snp-azure". Beans of type AttestationProvider and AttestationVerifier replace it.
         */
        private @Nullable String provider;

        /** Measurements the peer must present, as hex by index (index 0 is the SEV-SNP launch measurement). */
        private Map<Integer, String> expectedMeasurements = new LinkedHashMap<>();

        public @Nullable String getProvider() {
            return provider;
        }

        public void setProvider(@Nullable String provider) {
            this.provider = provider;
        }

        public Map<Integer, String> getExpectedMeasurements() {
            return expectedMeasurements;
        }

        public void setExpectedMeasurements(Map<Integer, String> expectedMeasurements) {
            this.expectedMeasurements = expectedMeasurements;
        }

        void validate(Errors errors) {
            // Unset is not checked here: then attestation beans may stand in, and the session
            // configuration's report says what to do when there are none.
            if (provider != null && !ATTESTATION_PROVIDERS.contains(provider)) {
                errors.rejectValue("provider", "secureChannel.invalid", "must be one of " + String.join(", ", ATTESTATION_PROVIDERS)
                        + " (or left unset, with AttestationProvider and AttestationVerifier beans)");
            }
        }
    }

    /** The WebSocket endpoint. */
    public static class Server {

        /** Whether to serve the secure-channel endpoint when a web stack is present. */
        private boolean enabled = true;

        /** Path of the WebSocket endpoint. */
        private String path = "/secure-channel";

        /** Origin patterns allowed to open the endpoint from a browser; requests without an Origin header are always allowed. */
        private List<String> allowedOriginPatterns = new ArrayList<>();

        /** Connections allowed in the handshake at once; more are closed with 1013 and existing sessions are unaffected. */
        private int maxPendingHandshakes = 256;

        /** Connections allowed at once, handshaking or open; more are closed with 1013. */
        private int maxSessions = 10_000;

        /** How long an open session may receive nothing before it is closed with 1008; zero disables the limit. */
        private Duration idleTimeout = Duration.ofMinutes(5);

        /** How long one send may take before the session is closed (frames are never dropped). */
        private Duration sendTimeLimit = Duration.ofSeconds(10);

        /** How many bytes may wait in a session's send buffer before the session is closed. */
        private DataSize sendBufferLimit = DataSize.ofMegabytes(32);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public List<String> getAllowedOriginPatterns() {
            return allowedOriginPatterns;
        }

        public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
            this.allowedOriginPatterns = allowedOriginPatterns;
        }

        public int getMaxPendingHandshakes() {
            return maxPendingHandshakes;
        }

        public void setMaxPendingHandshakes(int maxPendingHandshakes) {
            this.maxPendingHandshakes = maxPendingHandshakes;
        }

        public int getMaxSessions() {
            return maxSessions;
        }

        public void setMaxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public Duration getSendTimeLimit() {
            return sendTimeLimit;
        }

        public void setSendTimeLimit(Duration sendTimeLimit) {
            this.sendTimeLimit = sendTimeLimit;
        }

        public DataSize getSendBufferLimit() {
            return sendBufferLimit;
        }

        public void setSendBufferLimit(DataSize sendBufferLimit) {
            this.sendBufferLimit = sendBufferLimit;
        }

        void validate(Errors errors) {
            PropertyConstraints.atLeast(errors, "maxPendingHandshakes", maxPendingHandshakes, 1);
            PropertyConstraints.atLeast(errors, "maxSessions", maxSessions, 1);
            PropertyConstraints.notNegative(errors, "idleTimeout", idleTimeout, "no limit");
            PropertyConstraints.positive(errors, "sendTimeLimit", sendTimeLimit);
            PropertyConstraints.sizeWithin(errors, "sendBufferLimit", sendBufferLimit, 1, Long.MAX_VALUE, "positive, for example 32MB");
        }
    }

    /** The auto-configured client. */
    public static class Client {

        /** WebSocket URL of the server, for example ws://localhost:8080/secure-channel; setting it creates a client bean. */
        private @Nullable URI url;

        /** How long opening the WebSocket may take. */
        private Duration connectTimeout = Duration.ofSeconds(10);

        /** Default timeout of request-reply calls. */
        private Duration requestTimeout = Duration.ofSeconds(30);

        /** Connection attempts after an I/O failure or timeout (never after an attestation failure). */
        private int maxAttempts = 3;

        /** Delay before the first retry; later ones grow by the multiplier, with jitter. */
        private Duration initialBackoff = Duration.ofSeconds(1);

        /** Longest delay between retries. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** Growth factor of the retry delay. */
        private double backoffMultiplier = 2.0;

        public @Nullable URI getUrl() {
            return url;
        }

        public void setUrl(@Nullable URI url) {
            this.url = url;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public double getBackoffMultiplier() {
            return backoffMultiplier;
        }

        public void setBackoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = backoffMultiplier;
        }

        void validate(Errors errors) {
            PropertyConstraints.positive(errors, "connectTimeout", connectTimeout);
            PropertyConstraints.positive(errors, "requestTimeout", requestTimeout);
            PropertyConstraints.atLeast(errors, "maxAttempts", maxAttempts, 1);
            PropertyConstraints.notNegative(errors, "initialBackoff", initialBackoff, "retry at once");
            PropertyConstraints.notNegative(errors, "maxBackoff", maxBackoff, "retry at once");
            if (initialBackoff != null && maxBackoff != null && !initialBackoff.isNegative() && initialBackoff.compareTo(maxBackoff) > 0) {
                errors.rejectValue("initialBackoff", "secureChannel.invalid", "must not exceed max-backoff (" + DurationStyle.SIMPLE.print(maxBackoff) + ")");
            }
            // NaN fails this test too.
            if (!(backoffMultiplier >= 1.0)) {
                errors.rejectValue("backoffMultiplier", "secureChannel.invalid", "must be at least 1.0");
            }
        }
    }
}
