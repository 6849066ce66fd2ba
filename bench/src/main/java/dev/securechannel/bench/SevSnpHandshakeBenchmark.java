package dev.securechannel.bench;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.EphemeralKeyPool;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.SessionConfigInternals;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What SEV-SNP verification adds to a handshake: the real verifier on a real AMD Genoa report
 * (project-oak fixture: ECDSA P-384 report signature, RSA-PSS chain to the pinned ARK, the
 * AMD CRL from a cached collateral source, TCB and chip binding, production policy) at the
 * fixtures' clock.
 *
 * <ul>
 *   <li>{@link #verifyGenoaReport}: one verification of the wire document alone.</li>
 *   <li>{@link #handshakeVerifyingGenoaReport}: the sans-IO mock handshake of
 *       {@link HandshakeBenchmark#sansIo} in which each side also verifies the Genoa document,
 *       as a peer on SEV-SNP hardware would be verified. A recorded report cannot bind this
 *       handshake's fresh key, so the key binding comes from the mock document; the
 *       cryptographic and policy work per handshake is that of a real SEV-SNP peer.</li>
 * </ul>
 * Producing evidence on hardware (configfs-tsm, the Azure vTPM) is not measured here: it needs
 * the hardware, and on Azure the paravisor refreshes a report at most every two seconds.
 *
 * <p>The Genoa report, its VCEK, AMD's Genoa chain and CRL come from the repository's
 * {@code testdata/fixtures/sev-snp} and travel in the benchmark jar as {@code /sev-snp/...}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SevSnpHandshakeBenchmark {

    private AttestationDocument genoa;
    private SevSnpAttestationVerifier verifier;
    private SessionConfig config;
    private EphemeralKeyPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        GenoaFixture fixture = GenoaFixture.load();
        genoa = fixture.document();
        verifier = fixture.verifier();

        SecureRandom random = new SecureRandom();
        pool = EphemeralKeyPool.start(64, random);
        config = SessionConfigInternals.ephemeralKeys(SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(fixture.verifyingForEveryPeer())
                .secureRandom(random), pool)
                .build();
        HandshakeBenchmark.handshake(config);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    /** One SEV-SNP verification of the Genoa wire document. */
    @Benchmark
    public VerifiedAttestation verifyGenoaReport() {
        return verifier.verify(genoa);
    }

    /** A whole handshake in which both sides verify the Genoa document (pooled ephemeral keys). */
    @Benchmark
    public HandshakeResult[] handshakeVerifyingGenoaReport() {
        return HandshakeBenchmark.handshake(config);
    }
}
