package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.AzureSevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.SevSnpAttestationVerifier;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code VerifiedAttestation} claims of an accepted SEV-SNP report. The keys are stable;
 * they are listed on {@link SevSnpAttestationVerifier} and {@link AzureSevSnpAttestationVerifier}.
 */
public final class SnpClaims {

    private SnpClaims() {
    }

    public static Map<String, String> of(SnpVerificationResult result) {
        SnpReport report = result.report();
        HexFormat hex = HexFormat.of();
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("sev-snp.product", result.product().orElseThrow().kdsName());
        claims.put("sev-snp.report-version", Integer.toString(report.version()));
        claims.put("sev-snp.vek", result.vekKind().orElseThrow().name());
        TcbVersion reported = result.reportedTcb();
        claims.put("sev-snp.reported-tcb", reported.hex());
        claims.put("sev-snp.reported-tcb.bootloader", Integer.toString(reported.bootloader()));
        claims.put("sev-snp.reported-tcb.tee", Integer.toString(reported.tee()));
        claims.put("sev-snp.reported-tcb.snp", Integer.toString(reported.snp()));
        claims.put("sev-snp.reported-tcb.microcode", Integer.toString(reported.microcode()));
        reported.fmc().ifPresent(fmc -> claims.put("sev-snp.reported-tcb.fmc", Integer.toString(fmc)));
        claims.put("sev-snp.chip-id", hex.formatHex(report.chipId()));
        SnpGuestPolicy policy = report.policy();
        claims.put("sev-snp.policy", policy.hex());
        claims.put("sev-snp.policy.abi", policy.abiMajor() + "." + policy.abiMinor());
        claims.put("sev-snp.policy.smt", Boolean.toString(policy.smtAllowed()));
        claims.put("sev-snp.policy.migrate-ma", Boolean.toString(policy.migrationAgentAllowed()));
        claims.put("sev-snp.policy.debug", Boolean.toString(policy.debugAllowed()));
        claims.put("sev-snp.policy.single-socket", Boolean.toString(policy.singleSocketRequired()));
        claims.put("sev-snp.vmpl", Long.toString(report.vmpl()));
        claims.put("sev-snp.guest-svn", Long.toString(report.guestSvn()));
        claims.put("sev-snp.measurement", hex.formatHex(report.measurement()));
        claims.put("sev-snp.host-data", hex.formatHex(report.hostData()));
        claims.put("sev-snp.id-key-digest", hex.formatHex(report.idKeyDigest()));
        claims.put("sev-snp.family-id", hex.formatHex(report.familyId()));
        claims.put("sev-snp.image-id", hex.formatHex(report.imageId()));
        claims.put("sev-snp.firmware", report.currentFirmware().toString());
        return claims;
    }

    public static Map<String, String> ofAzure(AzureSnpVerificationResult result) {
        Map<String, String> claims = of(result.snp());
        Map<String, String> runtime = result.claims();
        copy(runtime, "vm-configuration.vmUniqueId", claims, "azure.vm-id");
        copy(runtime, "vm-configuration.secure-boot", claims, "azure.secure-boot");
        copy(runtime, "vm-configuration.tpm-enabled", claims, "azure.tpm-enabled");
        copy(runtime, "vm-configuration.tpm-persisted", claims, "azure.tpm-persisted");
        copy(runtime, "vm-configuration.console-enabled", claims, "azure.console-enabled");
        StringBuilder keyIds = new StringBuilder();
        for (int i = 0; runtime.containsKey("keys[" + i + "].kid"); i++) {
            keyIds.append(i == 0 ? "" : ",").append(runtime.get("keys[" + i + "].kid"));
        }
        if (keyIds.length() > 0) {
            claims.put("azure.key-ids", keyIds.toString());
        }
        claims.put("azure.hcl-version", Integer.toString(result.hclReport().headerVersion()));
        claims.put("azure.runtime-claims-hash", HexFormat.of().formatHex(result.hclReport().hashType().digest(result.runtimeClaims())));
        return claims;
    }

    private static void copy(Map<String, String> from, String fromKey, Map<String, String> to, String toKey) {
        String value = from.get(fromKey);
        if (value != null) {
            to.put(toKey, value);
        }
    }
}
