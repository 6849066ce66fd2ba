package dev.securechannel.autoconfigure.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.AttestationProvider;
import dev.securechannel.attestation.AttestationVerifier;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.attestation.sevsnp.AzureSevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpPolicySettingException;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import dev.securechannel.attestation.sevsnp.collateral.CollateralCache;
import dev.securechannel.attestation.sevsnp.guest.AzureSevSnpAttestationProvider;
import dev.securechannel.attestation.sevsnp.guest.SevSnpAttestationProvider;
import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelMockAttestationAutoConfiguration;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.sevsnp.SevSnpDocument;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * {@code secure-channel.attestation.provider=sev-snp|sev-snp-azure}: the providers, verifiers,
 * policy and collateral from {@code secure-channel.attestation.sev-snp.*}, backing off for user
 * beans, and readable startup failures. The verifier built here checks a real SEV-SNP report.
 */
class SecureChannelSevSnpAutoConfigurationTest {

    private static final Path FIXTURES = Path.of(System.getProperty("securechannel.testdata.dir", "../testdata"), "fixtures", "sev-snp");

    @TempDir
    Path configfs;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelSevSnpAutoConfiguration.class, SecureChannelAutoConfiguration.class))
            .withPropertyValues("secure-channel.security-profile=development");

    private ApplicationContextRunner linuxGuest() {
        return runner.withPropertyValues("secure-channel.attestation.provider=sev-snp",
                "secure-channel.attestation.sev-snp.configfs-path=" + configfs,
                "secure-channel.attestation.sev-snp.collateral.source=offline",
                "secure-channel.attestation.sev-snp.collateral.certificates[0]=" + FIXTURES.resolve("amd-kds/Milan/ask.pem"),
                "secure-channel.attestation.sev-snp.collateral.certificates[1]=" + FIXTURES.resolve("amd-kds/Milan/ark.pem"),
                "secure-channel.attestation.sev-snp.collateral.certificates[2]=" + FIXTURES.resolve("go-sev-guest/verify/testdata/vcek.testcer"));
    }

    @Test
    void sevSnpWiresTheConfigfsProviderTheVerifierAndACollateralCache() {
        linuxGuest().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(AttestationProvider.class)).isInstanceOf(SevSnpAttestationProvider.class);
            assertThat(context.getBean(AttestationVerifier.class)).isInstanceOf(SevSnpAttestationVerifier.class);
            assertThat(context).hasSingleBean(CollateralCache.class);
            SessionConfig config = context.getBean(SessionConfig.class);
            assertThat(config.attestationProvider().type()).isEqualTo("sev-snp");
            assertThat(config.attestationVerifier().isInsecure()).isFalse();
        });
    }

    @Test
    void theProductionProfileAcceptsSevSnpWithExpectedMeasurements() {
        linuxGuest().withPropertyValues("secure-channel.security-profile=production",
                        "secure-channel.attestation.expected-measurements[0]=" + "ab".repeat(48))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SessionConfig.class));
    }

    @Test
    void theDefaultPolicyIsTheProductionPolicy() {
        linuxGuest().run(context -> {
            SnpPolicy policy = context.getBean(SnpPolicy.class);
            assertThat(policy.rejectDebug()).isTrue();
            assertThat(policy.rejectMigrationAgent()).isTrue();
            assertThat(policy.requiredVmpl()).hasValue(0);
            assertThat(policy.checkTcbBinding()).isTrue();
            assertThat(policy.acceptedProducts()).containsExactlyInAnyOrder(SnpProduct.values());
            assertThat(policy.minimumReportVersion()).isEqualTo(2);
            assertThat(policy).hasToString(SnpPolicy.production().toString());
        });
    }

    @Test
    void aPolicyPropertyLeftUnsetKeepsTheProductionValueWhileOthersChange() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.allow-debug=true",
                        "secure-channel.attestation.sev-snp.minimum-tcb.snp=8")
                .run(context -> assertThat(context.getBean(SnpPolicy.class)).hasToString(SnpPolicy.production().toBuilder()
                        .rejectDebug(false).minimumTcb(TcbComponent.SNP, 8).build().toString()));
    }

    @Test
    void everyPolicyPropertyReachesThePolicy() {
        linuxGuest().withPropertyValues(
                        "secure-channel.attestation.sev-snp.measurement=" + "0A".repeat(48),
                        "secure-channel.attestation.sev-snp.host-data=" + "0b".repeat(32),
                        "secure-channel.attestation.sev-snp.id-key-digest=" + "0c".repeat(48),
                        "secure-channel.attestation.sev-snp.author-key-digest=" + "0d".repeat(48),
                        "secure-channel.attestation.sev-snp.family-id=" + "0e".repeat(16),
                        "secure-channel.attestation.sev-snp.image-id=" + "0f".repeat(16),
                        "secure-channel.attestation.sev-snp.minimum-tcb.bootloader=2",
                        "secure-channel.attestation.sev-snp.minimum-tcb.tee=1",
                        "secure-channel.attestation.sev-snp.minimum-tcb.snp=5",
                        "secure-channel.attestation.sev-snp.minimum-tcb.microcode=68",
                        "secure-channel.attestation.sev-snp.minimum-tcb.fmc=3",
                        "secure-channel.attestation.sev-snp.minimum-report-version=3",
                        "secure-channel.attestation.sev-snp.minimum-guest-svn=7",
                        "secure-channel.attestation.sev-snp.accepted-products=genoa,turin",
                        "secure-channel.attestation.sev-snp.allow-debug=true",
                        "secure-channel.attestation.sev-snp.allow-migration-agent=true",
                        "secure-channel.attestation.sev-snp.allow-any-vmpl=true",
                        "secure-channel.attestation.sev-snp.smt-allowed=false",
                        "secure-channel.attestation.sev-snp.single-socket=true",
                        "secure-channel.attestation.sev-snp.check-tcb-binding=false",
                        "secure-channel.attestation.sev-snp.allow-masked-chip-id=true",
                        "secure-channel.attestation.sev-snp.require-crl=true",
                        "secure-channel.attestation.sev-snp.require-committed-tcb-equals-current=true")
                .run(context -> {
                    SnpPolicy policy = context.getBean(SnpPolicy.class);
                    assertThat(policy.expectedMeasurement()).hasValueSatisfying(value -> assertThat(value).isEqualTo(bytes(0x0a, 48)));
                    assertThat(policy.expectedHostData()).hasValueSatisfying(value -> assertThat(value).isEqualTo(bytes(0x0b, 32)));
                    assertThat(policy.expectedIdKeyDigest()).hasValueSatisfying(value -> assertThat(value).isEqualTo(bytes(0x0c, 48)));
                    assertThat(policy.expectedAuthorKeyDigest()).hasValueSatisfying(value -> assertThat(value).isEqualTo(bytes(0x0d, 48)));
                    assertThat(policy.expectedFamilyId()).hasValueSatisfying(value -> assertThat(value).isEqualTo(bytes(0x0e, 16)));
                    assertThat(policy.expectedImageId()).hasValueSatisfying(value -> assertThat(value).isEqualTo(bytes(0x0f, 16)));
                    assertThat(policy.minimumTcb()).containsEntry(TcbComponent.BOOTLOADER, 2).containsEntry(TcbComponent.TEE, 1)
                            .containsEntry(TcbComponent.SNP, 5).containsEntry(TcbComponent.MICROCODE, 68).containsEntry(TcbComponent.FMC, 3);
                    assertThat(policy.minimumReportVersion()).isEqualTo(3);
                    assertThat(policy.minimumGuestSvn()).isEqualTo(7);
                    assertThat(policy.acceptedProducts()).isEqualTo(Set.of(SnpProduct.GENOA, SnpProduct.TURIN));
                    assertThat(policy.rejectDebug()).isFalse();
                    assertThat(policy.rejectMigrationAgent()).isFalse();
                    assertThat(policy.requiredVmpl()).isEmpty();
                    assertThat(policy.requiredSmtAllowed()).hasValue(false);
                    assertThat(policy.requiredSingleSocket()).hasValue(true);
                    assertThat(policy.checkTcbBinding()).isFalse();
                    assertThat(policy.allowMaskedChipId()).isTrue();
                    assertThat(policy.requireCrl()).isTrue();
                    assertThat(policy.requireCommittedTcbEqualsCurrent()).isTrue();
                });
    }

    @Test
    void theVerifierChecksARealReportAgainstThePolicyFromProperties() throws Exception {
        AttestationDocument debugGuest = realDebugGuestDocument();
        linuxGuest().run(context -> assertThatThrownBy(() -> context.getBean(AttestationVerifier.class).verify(debugGuest))
                .isInstanceOfSatisfying(SnpVerificationException.class,
                        rejected -> assertThat(rejected.detailCode()).isEqualTo("debug-guest-rejected")));
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.allow-debug=true").run(context -> {
            VerifiedAttestation verified = context.getBean(AttestationVerifier.class).verify(debugGuest);
            assertThat(verified.claims()).containsEntry("sev-snp.product", "Milan");
            assertThat(verified.measurement(0)).isPresent();
        });
    }

    @Test
    void offlineCrlsPastTheirNextUpdateRejectEvidence() throws Exception {
        AttestationDocument debugGuest = realDebugGuestDocument();
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.allow-debug=true",
                        "secure-channel.attestation.sev-snp.collateral.crls.milan=" + FIXTURES.resolve("amd-kds/Milan/crl.der"))
                .run(context -> assertThatThrownBy(() -> context.getBean(AttestationVerifier.class).verify(debugGuest))
                        .isInstanceOfSatisfying(SnpVerificationException.class,
                                rejected -> assertThat(rejected.detailCode()).isEqualTo("crl-expired")));
    }

    @Test
    void sevSnpAzureWiresTheVtpmProviderAndTheAzureVerifier() throws Exception {
        Path tpm = Files.createFile(configfs.resolve("tpmrm0"));
        runner.withPropertyValues("secure-channel.attestation.provider=sev-snp-azure", "secure-channel.attestation.sev-snp.tpm-device=" + tpm)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AttestationProvider.class)).isInstanceOf(AzureSevSnpAttestationProvider.class);
                    assertThat(context.getBean(AttestationVerifier.class)).isInstanceOf(AzureSevSnpAttestationVerifier.class);
                });
    }

    @Test
    void userBeansReplaceThePolicyAndTheVerifier() {
        SnpPolicy own = SnpPolicy.development();
        AttestationVerifier ownVerifier = new SevSnpAttestationVerifier(own, dev.securechannel.attestation.sevsnp.CrlSource.none(),
                java.time.Clock.systemUTC());
        linuxGuest().withBean(SnpPolicy.class, () -> own).withBean(AttestationVerifier.class, () -> ownVerifier)
                .run(context -> {
                    assertThat(context.getBean(SnpPolicy.class)).isSameAs(own);
                    assertThat(context.getBean(AttestationVerifier.class)).isSameAs(ownVerifier);
                });
    }

    @Test
    void otherProvidersGetNoSevSnpBeans() {
        runner.withPropertyValues("secure-channel.attestation.provider=mock")
                .run(context -> assertThat(context).doesNotHaveBean(SnpPolicy.class).doesNotHaveBean(CollateralCache.class));
    }

    @Test
    void aMissingConfigfsDirectoryFailsTheStartWithAReadableReport() {
        runner.withPropertyValues("secure-channel.attestation.provider=sev-snp",
                        "secure-channel.attestation.sev-snp.configfs-path=" + configfs.resolve("absent"),
                        "secure-channel.attestation.sev-snp.collateral.source=offline")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("configfs-tsm", "absent");
                    assertThat(analysis.getAction()).contains("secure-channel.attestation.sev-snp.configfs-path");
                });
    }

    @Test
    void aMissingVtpmFailsTheStartWithAReadableReport() {
        runner.withPropertyValues("secure-channel.attestation.provider=sev-snp-azure",
                        "secure-channel.attestation.sev-snp.tpm-device=" + configfs.resolve("no-tpm"))
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("vTPM", "no-tpm");
                    assertThat(analysis.getAction()).contains("tpm-device");
                });
    }

    @Test
    void aPinThatIsNotHexNamesItsProperty() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.host-data=not-hex")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("Property: secure-channel.attestation.sev-snp.hostData", "not-hex",
                            "it is not hex");
                });
    }

    @Test
    void aPinOfTheWrongLengthIsRefused() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.measurement=00ff")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: secure-channel.attestation.sev-snp.measurement", "must be 48 bytes of hex"));
    }

    @Test
    void anEmptyPinIsRefusedRatherThanReadAsNoPin() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.id-key-digest=")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: secure-channel.attestation.sev-snp.idKeyDigest", "must be 48 bytes of hex (96 hex digits), not empty"));
    }

    @Test
    void aPinFromAnUnresolvedPlaceholderSaysSo() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.family-id=${SNP_FAMILY_ID_NEVER_SET}")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: secure-channel.attestation.sev-snp.familyId", "must be 16 bytes of hex (32 hex digits); it is not hex",
                                "the placeholder ${SNP_FAMILY_ID_NEVER_SET} was not resolved"));
    }

    @Test
    void refusedPolicyPropertiesAreReportedTogetherWithTheCoresReasons() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.minimum-report-version=6",
                        "secure-channel.attestation.sev-snp.minimum-guest-svn=-1")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: secure-channel.attestation.sev-snp.minimumReportVersion", "the report version must be 2..5, not 6",
                                "Property: secure-channel.attestation.sev-snp.minimumGuestSvn", "GUEST_SVN must be 0..4294967295"));
    }

    @Test
    void aMinimumSplOutOfRangeNamesItsNestedProperty() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.minimum-tcb.snp=256")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: secure-channel.attestation.sev-snp.minimum-tcb.snp", "Value: \"256\"",
                                "Reason: an SPL must be 0..255, not 256"));
    }

    @Test
    void requiredVmplAndAllowAnyVmplTogetherAreRefused() {
        linuxGuest().withPropertyValues("secure-channel.attestation.sev-snp.required-vmpl=1",
                        "secure-channel.attestation.sev-snp.allow-any-vmpl=true")
                .run(context -> assertThat(analyze(context.getStartupFailure()).getDescription())
                        .contains("Property: secure-channel.attestation.sev-snp.requiredVmpl", "contradicts allowAnyVmpl=true"));
    }

    @Test
    void aPolicyBuiltOutsideBindingNamesTheFullProperty() {
        SevSnpProperties properties = new SevSnpProperties();
        properties.setRequiredVmpl(7);

        assertThatThrownBy(properties::policy)
                .isInstanceOfSatisfying(SnpPolicySettingException.class, refused -> {
                    assertThat(refused.setting()).isEqualTo("secure-channel.attestation.sev-snp.required-vmpl");
                    assertThat(refused.value()).isEqualTo("7");
                    assertThat(refused.fix()).isEqualTo("VMPL must be 0..3, not 7");
                });
    }

    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).isNotNull();
        for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, (type, name, ignored) -> {
                    // Analyzers of modules this test does not load (they need a bean factory) are skipped.
                })) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("no failure analysis for " + failure);
    }

    /** The go-sev-guest Milan report (POLICY.DEBUG=1) with its real VCEK, ASK and ARK, as the Rust wire document. */
    private static AttestationDocument realDebugGuestDocument() throws Exception {
        byte[] report = Files.readAllBytes(FIXTURES.resolve("go-sev-guest/verify/testdata/attestation.bin"));
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (String file : List.of("go-sev-guest/verify/testdata/vcek.testcer", "amd-kds/Milan/ask.pem", "amd-kds/Milan/ark.pem")) {
            chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(FIXTURES.resolve(file)))));
        }
        return new AttestationDocument(SevSnpDocument.of(report, chain).encode());
    }

    private static byte[] bytes(int value, int length) {
        return HexFormat.of().parseHex(String.format("%02x", value).repeat(length));
    }
}
