package dev.securechannel.actuate.endpoint;

import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.LocalAttestationMonitor;
import dev.securechannel.attestation.LocalAttestationStatus;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.metrics.LatencySummary;
import dev.securechannel.metrics.SecureChannelMetrics;
import dev.securechannel.session.SecureSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code securechannel} endpoint: a read-only, immutable report of the local attestation,
 * the crypto backend that runs and why, sessions, handshakes, per-message seal, write and open latencies (microseconds) and traffic, and at
 * {@code /actuator/securechannel/sessions} the active sessions.
 *
 * <p>Nothing secret is exposed: sessions are named by their display id (a hash prefix of the
 * session id, never the id itself), peers by platform and a measurement prefix; no key,
 * nonce, document or payload is ever read. Access follows Boot's standard endpoint properties
 * ({@code management.endpoint.securechannel.access}).
 */
@Endpoint(id = "securechannel", defaultAccess = Access.READ_ONLY)
public class SecureChannelEndpoint {

    /** The selector listing active sessions. */
    public static final String SESSIONS = "sessions";

    /** Hex characters of a peer measurement shown: enough to tell builds apart, not the whole value. */
    private static final int MEASUREMENT_PREFIX_CHARS = 16;

    private final AttestationProvider provider;
    private final AttestationVerifier verifier;
    private final @Nullable SecureChannelMetrics metrics;
    private final @Nullable LocalAttestationMonitor monitor;
    private final Supplier<Collection<SecureSession>> connections;
    private final @Nullable CryptoBackendDescriptor crypto;

    /**
     * @param provider    the local attestation provider
     * @param verifier    the local attestation verifier
     * @param metrics     the statistics to report, or {@code null} without metrics (counts are then omitted)
     * @param monitor     the local attestation self-check, or {@code null} when health checks are off
     * @param connections the open sessions, when {@code metrics} is {@code null} (for example the server registry's)
     */
    public SecureChannelEndpoint(AttestationProvider provider, AttestationVerifier verifier, @Nullable SecureChannelMetrics metrics,
                                 @Nullable LocalAttestationMonitor monitor, Supplier<Collection<SecureSession>> connections) {
        this(provider, verifier, metrics, monitor, connections, null);
    }

    /**
     * As above, also reporting the crypto backend.
     *
     * @param crypto the backend the sessions run on, or {@code null} to leave it out of the report
     */
    public SecureChannelEndpoint(AttestationProvider provider, AttestationVerifier verifier, @Nullable SecureChannelMetrics metrics,
                                 @Nullable LocalAttestationMonitor monitor, Supplier<Collection<SecureSession>> connections,
                                 @Nullable CryptoBackend crypto) {
        this.crypto = crypto == null ? null : CryptoBackendDescriptor.of(crypto);
        this.provider = provider;
        this.verifier = verifier;
        this.metrics = metrics;
        this.monitor = monitor;
        this.connections = connections;
    }

    /** The whole report. */
    @ReadOperation
    public SecureChannelDescriptor report() {
        LocalAttestation attestation = localAttestation();
        SecureChannelMetrics current = metrics;
        if (current == null) {
            return new SecureChannelDescriptor(attestation, crypto, null, null, null, null, null, null);
        }
        SecureChannelMetrics.Snapshot snapshot = current.snapshot();
        return new SecureChannelDescriptor(attestation, crypto, snapshot.sessions(), snapshot.handshakes(), snapshot.messages(),
                snapshot.bytes(), snapshot.requests(), snapshot.recent());
    }

    /** The active sessions for the {@value #SESSIONS} selector; {@code null} (404) for any other. */
    @ReadOperation
    public @Nullable SessionsDescriptor sessions(@Selector String selector) {
        if (!SESSIONS.equals(selector)) {
            return null;
        }
        long now = System.nanoTime();
        List<SessionDescriptor> sessions = new ArrayList<>();
        for (SecureSession session : openConnections()) {
            if (session.isOpen()) {
                sessions.add(describe(session, now));
            }
        }
        sessions.sort(Comparator.comparing(SessionDescriptor::id));
        return new SessionsDescriptor(List.copyOf(sessions));
    }

    private Collection<SecureSession> openConnections() {
        SecureChannelMetrics current = metrics;
        return current != null ? current.openSessions() : connections.get();
    }

    private static SessionDescriptor describe(SecureSession session, long now) {
        VerifiedAttestation peer = session.peerAttestation();
        String measurement = peer.measurement(0)
                .map(value -> HexFormat.of().formatHex(value))
                .map(hex -> hex.substring(0, Math.min(MEASUREMENT_PREFIX_CHARS, hex.length())))
                .orElse(null);
        long opened = session.openedNanos();
        Duration age = Duration.ofNanos(opened == 0 ? 0 : Math.max(0, now - opened));
        SecureSession.Traffic traffic = session.traffic();
        return new SessionDescriptor(session.displayId(), session.role().tagValue(), peer.platform(), !peer.isInsecure(),
                measurement, session.extensions().toString(), age.toMillis() / 1000.0, traffic.framesSent(),
                traffic.bytesSent(), traffic.framesReceived(), traffic.bytesReceived(), session.queuedBytes());
    }

    private LocalAttestation localAttestation() {
        LocalAttestationMonitor current = monitor;
        if (current == null) {
            return new LocalAttestation(provider.type(), provider.platform(), !provider.isInsecure() && !verifier.isInsecure(),
                    null, null, null, null);
        }
        LocalAttestationStatus status = current.status();
        return new LocalAttestation(status.provider(), status.platform(), status.secure(),
                status.checked() ? status.healthy() : null, status.failure(), status.measurement(),
                status.lastEvidence() == null ? null : status.lastEvidence().toString());
    }

    /**
     * The report.
     *
     * @param attestation the local attestation
     * @param crypto      the crypto backend and why it was chosen, or {@code null} when not reported
     * @param sessions    session counts, or {@code null} without metrics
     * @param handshakes  handshake counts and latencies, or {@code null} without metrics
     * @param messages    seal, write and open counts and latencies, or {@code null} without metrics
     * @param bytes       plaintext bytes in and out, or {@code null} without metrics
     * @param requests    client request round trips, or {@code null} without metrics
     * @param recent      the latencies of the last minute or so alone, with the exact window in
     *                    {@code windowSeconds} (the others cover everything since start), or
     *                    {@code null} without metrics
     */
    public record SecureChannelDescriptor(LocalAttestation attestation, @Nullable CryptoBackendDescriptor crypto,
                                          SecureChannelMetrics.@Nullable Sessions sessions,
                                          SecureChannelMetrics.@Nullable Handshakes handshakes,
                                          SecureChannelMetrics.@Nullable Messages messages,
                                          SecureChannelMetrics.@Nullable Traffic bytes, @Nullable LatencySummary requests,
                                          SecureChannelMetrics.@Nullable Recent recent)
            implements OperationResponseBody {
    }

    /**
     * The local side's attestation.
     *
     * @param provider     provider type
     * @param platform     platform name
     * @param secure       whether it proves anything ({@code false} for the mock)
     * @param healthy      whether the latest self-check succeeded, or {@code null} when not checked
     * @param failure      the latest self-check's failure reason, or {@code null}
     * @param measurement  the local launch measurement in hex, or {@code null} when the evidence has none
     * @param lastEvidence when evidence was last produced and accepted (ISO-8601), or {@code null}
     */
    public record LocalAttestation(String provider, String platform, boolean secure, @Nullable Boolean healthy,
                                   @Nullable String failure, @Nullable String measurement, @Nullable String lastEvidence) {
    }

    /**
     * The active sessions.
     *
     * @param sessions one entry per open session, ordered by id
     */
    public record SessionsDescriptor(List<SessionDescriptor> sessions) implements OperationResponseBody {
    }

    /**
     * One open session, without anything secret.
     *
     * @param id                    the display id: a hash prefix of the session id, never the id
     * @param role                  the local role ({@code initiator} or {@code responder})
     * @param peerPlatform          the peer's attested platform
     * @param peerSecure            whether the peer's evidence proves anything
     * @param peerMeasurementPrefix the first hex characters of the peer's launch measurement, or {@code null}
     * @param extensions            the negotiated protocol extensions, for example {@code aes-256-gcm,key-update},
     *                              or {@code none} for base version 4
     * @param ageSeconds            time since the session opened
     * @param framesSent            frames sent
     * @param bytesSent             plaintext bytes sent
     * @param framesReceived        frames received
     * @param bytesReceived         plaintext bytes received
     * @param queuedBytes           bytes waiting in the send queue
     */
    public record SessionDescriptor(String id, String role, String peerPlatform, boolean peerSecure,
                                    @Nullable String peerMeasurementPrefix, String extensions, double ageSeconds, long framesSent, long bytesSent,
                                    long framesReceived, long bytesReceived, long queuedBytes) {
    }
}
