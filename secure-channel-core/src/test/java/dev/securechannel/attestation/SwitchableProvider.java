package dev.securechannel.attestation;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The mock provider, made to fail on demand, counting the evidence it is asked for. In the
 * test jar: the Spring health contributor's tests drive the same failures.
 */
public final class SwitchableProvider implements AttestationProvider {

    private final InsecureMockAttestationProvider mock = new InsecureMockAttestationProvider();
    /** While set, {@link #attest} throws an IOException, as a missing attestation device would. */
    public final AtomicBoolean failing = new AtomicBoolean();
    /** How many times evidence was asked for, failed or not. */
    public final AtomicInteger attestations = new AtomicInteger();

    @Override
    public String type() {
        return mock.type();
    }

    @Override
    public String platform() {
        return mock.platform();
    }

    @Override
    public boolean isInsecure() {
        return true;
    }

    @Override
    public AttestationDocument attest(byte @Nullable [] userData, byte @Nullable [] nonce, byte @Nullable [] publicKey)
            throws Exception {
        attestations.incrementAndGet();
        if (failing.get()) {
            throw new java.io.IOException("no attestation device");
        }
        return mock.attest(userData, nonce, publicKey);
    }
}
