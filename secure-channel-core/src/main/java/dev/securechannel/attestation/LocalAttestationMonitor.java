package dev.securechannel.attestation;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Checks, at start and then every {@code interval}, that the local attestation provider
 * produces evidence the local verifier accepts and that binds the nonce and key it was given,
 * as a handshake would. Health checks read the latest outcome, {@link #status()}, and never
 * attest themselves: evidence from hardware can take a while and should not be produced per
 * probe. Spring Boot's {@code securechannel} health contributor reads one; a plain-Java server
 * can report {@link #status()} through whatever health check it has.
 *
 * <p>Thread-safe. {@link #start()} runs the first check on the caller's thread and schedules
 * the next ones on a daemon thread; {@link #close()} stops them.
 */
public final class LocalAttestationMonitor implements AutoCloseable {

    private final AttestationProvider provider;
    private final AttestationVerifier verifier;
    private final Duration interval;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Object checkLock = new Object();
    private volatile LocalAttestationStatus status;
    private volatile @Nullable Instant lastEvidence;
    private @Nullable ScheduledExecutorService scheduler;

    /**
     * @param provider the local provider
     * @param verifier the local verifier
     * @param interval time between checks after the first
     * @param clock    time source of the status timestamps
     */
    public LocalAttestationMonitor(AttestationProvider provider, AttestationVerifier verifier, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.provider = provider;
        this.verifier = verifier;
        this.interval = interval;
        this.clock = clock;
        this.status = new LocalAttestationStatus(provider.type(), provider.platform(), isSecure(), false, false,
                null, null, null, null, null, Map.of());
    }

    /** Checks now, then every interval on a daemon thread. Does nothing when already started. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        check();
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "secure-channel-attestation-check");
            thread.setDaemon(true);
            return thread;
        });
        long period = interval.toMillis();
        started.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        scheduler = started;
    }

    /** Runs one check now and returns its outcome, which also becomes {@link #status()}. */
    public LocalAttestationStatus check() {
        synchronized (checkLock) {
            LocalAttestationStatus checked = attestAndVerify();
            status = checked;
            return checked;
        }
    }

    /** The outcome of the latest check (not yet checked before {@link #start()}). */
    public LocalAttestationStatus status() {
        return status;
    }

    /** The local provider. */
    public AttestationProvider provider() {
        return provider;
    }

    /** Stops the periodic checks. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private LocalAttestationStatus attestAndVerify() {
        Instant now = clock.instant();
        byte[] nonce = new byte[32];
        byte[] publicKey = new byte[32];
        random.nextBytes(nonce);
        random.nextBytes(publicKey);
        AttestationDocument document;
        try {
            document = provider.attest(null, nonce, publicKey);
        } catch (Exception e) {
            return failed(now, reasonOf(e, FailureReason.ATTESTATION_GENERATION_FAILED), e);
        }
        VerifiedAttestation verified;
        try {
            verified = verifier.verify(document);
        } catch (RuntimeException e) {
            return failed(now, reasonOf(e, FailureReason.ATTESTATION_VERIFICATION_FAILED), e);
        }
        FailureReason binding = bindingFailure(verified, nonce, publicKey);
        if (binding != null) {
            return failed(now, binding, null);
        }
        lastEvidence = now;
        String measurement = verified.measurement(0).map(HexFormat.of()::formatHex).orElse(null);
        return new LocalAttestationStatus(provider.type(), provider.platform(), isSecure() && !verified.isInsecure(), true, true,
                null, null, measurement, now, now, verified.claims());
    }

    private static @Nullable FailureReason bindingFailure(VerifiedAttestation verified, byte[] nonce, byte[] publicKey) {
        Optional<byte[]> boundKey = verified.publicKey();
        if (boundKey.isEmpty()) {
            return FailureReason.PUBLIC_KEY_MISSING;
        }
        if (!MessageDigest.isEqual(boundKey.get(), publicKey)) {
            return FailureReason.PUBLIC_KEY_MISMATCH;
        }
        Optional<byte[]> boundNonce = verified.nonce();
        if (boundNonce.isEmpty()) {
            return FailureReason.NONCE_MISSING;
        }
        return MessageDigest.isEqual(boundNonce.get(), nonce) ? null : FailureReason.NONCE_MISMATCH;
    }

    private LocalAttestationStatus failed(Instant now, FailureReason reason, @Nullable Exception cause) {
        // A verifier's detail code (for example sev-snp's crl-expired) says more than the reason alone.
        String failure = cause instanceof SecureChannelException secure ? secure.detailCode() : reason.tagValue();
        return new LocalAttestationStatus(provider.type(), provider.platform(), isSecure(), true, false, failure,
                cause == null ? null : cause.getClass().getSimpleName(), null, lastEvidence, now, Map.of());
    }

    private static FailureReason reasonOf(Exception e, FailureReason otherwise) {
        return e instanceof SecureChannelException secure ? secure.reason() : otherwise;
    }

    private boolean isSecure() {
        return !provider.isInsecure() && !verifier.isInsecure();
    }
}
