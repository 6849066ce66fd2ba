package dev.securechannel.cli;

import dev.securechannel.attestation.sevsnp.CrlSource;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict;
import dev.securechannel.attestation.sevsnp.SnpReportVerifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify-sev-snp}: verifies a raw SEV-SNP report or an Azure HCL report against AMD's
 * pinned roots with {@link SnpReportVerifier} and prints one JSON object on stdout. The exit code
 * is the verdict ({@link ExitStatus}). Runs offline: certificates and the CRL come from files.
 */
@Command(name = "verify-sev-snp",
        mixinStandardHelpOptions = true,
        versionProvider = SecureChannelCli.VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = {
            "secure-channel verify-sev-snp (--report FILE | --hcl-report FILE)",
            "       [--cert FILE]... [--crl FILE] [--at INSTANT] [POLICY OPTIONS]"
        },
        synopsisHeading = "Usage: ",
        description = {
            "Verifies an AMD SEV-SNP attestation report (or an Azure CVM HCL report) offline against AMD's pinned "
                    + "root keys and prints one JSON object with every report field and the verdict.",
            "Policy options are named like the Spring properties secure-channel.attestation.sev-snp.*."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:accepted",
            "1:rejected (including evidence that is not a valid report)",
            "2:bad usage or unreadable input",
            "3:internal error"
        })
public final class VerifySevSnpCommand implements Callable<Integer> {

    /** Exactly one kind of evidence. */
    static final class Evidence {

        @Option(names = "--report", paramLabel = "FILE", required = true,
                description = "Raw 1184-byte SEV-SNP report: binary, or hex text (whitespace and line breaks ignored).")
        @Nullable Path report;

        @Option(names = "--hcl-report", paramLabel = "FILE", required = true,
                description = "Azure CVM HCL report (vTPM NV index 0x01400001), binary.")
        @Nullable Path hclReport;
    }

    @Spec
    @Nullable CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nEvidence (exactly one):%n", order = 1)
    @Nullable Evidence evidence;

    @Option(names = "--cert", paramLabel = "FILE", order = 2,
            description = "VCEK/VLEK, ASK/ASVK and optionally ARK: DER or PEM, several per file, any order; repeatable. "
                    + "The ARK is always AMD's pinned one.")
    List<Path> certificateFiles = List.of();

    @Option(names = "--crl", paramLabel = "FILE", order = 3,
            description = "AMD CRL (DER or PEM) for the chain's product; its issuer and signature are checked against the pinned ARK.")
    @Nullable Path crlFile;

    @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class, order = 4,
            description = "Verify as of this ISO-8601 instant, e.g. 2026-01-01T00:00:00Z (default: now).")
    @Nullable Instant at;

    /** Null when no policy option is given (picocli creates a group only when one of its options appears). */
    @ArgGroup(exclusive = false, validate = false, order = 5,
            heading = "%nPolicy (starts from the production preset; each option given overrides one setting):%n")
    @Nullable SnpPolicyOptions policyOptions;

    @Override
    public Integer call() {
        Evidence given = Objects.requireNonNull(evidence, "picocli enforces exactly one of --report, --hcl-report");
        SnpPolicy policy = policy();
        List<X509Certificate> certificates = EvidenceFiles.readCertificates("--cert", certificateFiles);
        CrlSource crlSource = crlFile == null ? CrlSource.none() : crlForEveryProduct(EvidenceFiles.readCrl("--crl", crlFile));
        // One instant for both the verifier and the output, so the JSON says exactly when it held.
        Instant verifiedAt = at != null ? at : Instant.now();
        SnpReportVerifier verifier = new SnpReportVerifier(policy, crlSource, Clock.fixed(verifiedAt, ZoneOffset.UTC));

        SnpReportVerdict verdict;
        if (given.report != null) {
            verdict = verifier.verifyReport(EvidenceFiles.readReport("--report", given.report), certificates);
        } else {
            byte[] hclReport = EvidenceFiles.readBinary("--hcl-report", Objects.requireNonNull(given.hclReport));
            verdict = verifier.verifyHclReport(hclReport, certificates);
        }

        PrintWriter out = Objects.requireNonNull(spec).commandLine().getOut();
        out.println(VerdictJson.render(verdict));
        out.flush();
        return (verdict.accepted() ? ExitStatus.ACCEPTED : ExitStatus.REJECTED).code();
    }

    /**
     * The policy the options give: the production preset when none is given.
     *
     * @throws InvalidInputException for an option value the policy refuses
     */
    SnpPolicy policy() {
        return (policyOptions != null ? policyOptions : new SnpPolicyOptions()).toPolicy();
    }

    /**
     * The one CRL given, offered for whichever product the chain names: the verifier rejects it
     * if its issuer is not that product's pinned ARK, so no product has to be guessed here.
     */
    private static CrlSource crlForEveryProduct(byte[] crlDer) {
        Map<SnpProduct, byte[]> crls = new EnumMap<>(SnpProduct.class);
        for (SnpProduct product : SnpProduct.values()) {
            crls.put(product, crlDer);
        }
        return CrlSource.of(crls);
    }
}
