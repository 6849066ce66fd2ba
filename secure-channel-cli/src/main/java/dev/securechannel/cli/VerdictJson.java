package dev.securechannel.cli;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict.Azure;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict.GuestPolicy;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict.KeyInfo;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict.PlatformInfo;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict.Report;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict.SigningKey;
import dev.securechannel.attestation.sevsnp.SnpReportVerdict;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.security.cert.X509Certificate;
import java.util.OptionalInt;
import java.util.OptionalLong;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a {@link SnpReportVerdict} as the command's one JSON object. Keys come in a fixed
 * order (the insertion order below) and are always present, with {@code null} for what is
 * unknown, so that scripts can rely on the shape; byte fields are lower-case hex.
 *
 * <pre>
 * kind, report{...}, azure{...} (Azure only), vek{...}, verifiedAt, verdict, reason{code, message}
 * </pre>
 */
final class VerdictJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // The claims shown must be the claims the verifier judged, which refuses duplicate keys.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private VerdictJson() {
    }

    /** The pretty-printed JSON text, without a trailing line break. */
    static String render(SnpReportVerdict verdict) {
        return MAPPER.writeValueAsString(toJson(verdict));
    }

    /** The JSON tree. */
    static ObjectNode toJson(SnpReportVerdict verdict) {
        ObjectNode root = MAPPER.createObjectNode();
        boolean azureEvidence = verdict.evidence() == SnpReportVerdict.Evidence.AZURE_HCL_REPORT;
        root.put("kind", azureEvidence ? "sev-snp-azure" : "sev-snp");
        Report report = verdict.report();
        if (report == null) {
            root.putNull("report");
        } else {
            report(root.putObject("report"), report, verdict.product());
        }
        if (azureEvidence) {
            Azure azure = verdict.azure();
            if (azure == null) {
                root.putNull("azure");
            } else {
                azure(root.putObject("azure"), azure);
            }
        }
        X509Certificate vek = verdict.vekCertificate();
        if (vek == null) {
            root.putNull("vek");
        } else {
            // The certificate is only known once the report's structure, KEY_INFO included, was checked.
            vek(root.putObject("vek"), vek, report == null ? null : report.keyInfo().signingKey());
        }
        root.put("verifiedAt", verdict.verifiedAt().toString());
        root.put("verdict", verdict.accepted() ? "accepted" : "rejected");
        SnpVerificationException failure = verdict.failure();
        if (failure == null) {
            root.putNull("reason");
        } else {
            ObjectNode reason = root.putObject("reason");
            reason.put("code", failure.failure().tagValue());
            reason.put("message", messageWithoutCode(failure));
        }
        return root;
    }

    private static void report(ObjectNode json, Report report, @Nullable SnpProduct product) {
        json.put("version", report.version());
        json.put("guestSvn", report.guestSvn());
        json.put("product", product == null ? null : product.kdsName());
        policy(json.putObject("policy"), report.policy());
        json.put("familyId", report.familyId());
        json.put("imageId", report.imageId());
        json.put("vmpl", report.vmpl());
        json.put("signatureAlgorithm", report.signatureAlgorithm());
        platformInfo(json.putObject("platformInfo"), report.platformInfo());
        keyInfo(json.putObject("keyInfo"), report.keyInfo());
        tcb(json.putObject("currentTcb"), report.currentTcb());
        tcb(json.putObject("reportedTcb"), report.reportedTcb());
        tcb(json.putObject("committedTcb"), report.committedTcb());
        tcb(json.putObject("launchTcb"), report.launchTcb());
        json.put("currentFirmware", report.currentFirmware().toString());
        json.put("committedFirmware", report.committedFirmware().toString());
        cpuid(json, report.cpuid());
        json.put("reportData", report.reportData());
        json.put("measurement", report.measurement());
        json.put("hostData", report.hostData());
        json.put("idKeyDigest", report.idKeyDigest());
        json.put("authorKeyDigest", report.authorKeyDigest());
        json.put("reportId", report.reportId());
        json.put("reportIdMa", report.reportIdMa());
        json.put("chipId", report.chipId());
        json.put("launchMitigationVector", hexWord(report.launchMitigationVector()));
        json.put("currentMitigationVector", hexWord(report.currentMitigationVector()));
    }

    private static void policy(ObjectNode json, GuestPolicy policy) {
        json.put("hex", hexWord(policy.value()));
        json.put("abiMajor", policy.abiMajor());
        json.put("abiMinor", policy.abiMinor());
        json.put("smtAllowed", policy.smtAllowed());
        json.put("migrationAgentAllowed", policy.migrationAgentAllowed());
        json.put("debugAllowed", policy.debugAllowed());
        json.put("singleSocketRequired", policy.singleSocketRequired());
        json.put("cxlAllowed", policy.cxlAllowed());
        json.put("memAes256XtsRequired", policy.memAes256XtsRequired());
        json.put("raplDisabledRequired", policy.raplDisabledRequired());
        json.put("ciphertextHidingRequired", policy.ciphertextHidingRequired());
        json.put("pageSwapDisabled", policy.pageSwapDisabled());
        json.put("reservedBitsValid", policy.reservedBitsValid());
    }

    private static void platformInfo(ObjectNode json, PlatformInfo platformInfo) {
        json.put("hex", hexWord(platformInfo.value()));
        json.put("smtEnabled", platformInfo.smtEnabled());
        json.put("tsmeEnabled", platformInfo.tsmeEnabled());
        json.put("eccEnabled", platformInfo.eccEnabled());
        json.put("raplDisabled", platformInfo.raplDisabled());
        json.put("ciphertextHidingEnabled", platformInfo.ciphertextHidingEnabled());
        json.put("aliasCheckComplete", platformInfo.aliasCheckComplete());
        json.put("tioEnabled", platformInfo.tioEnabled());
    }

    private static void keyInfo(ObjectNode json, KeyInfo keyInfo) {
        json.put("hex", hexWord(keyInfo.value()));
        json.put("authorKeyEnabled", keyInfo.authorKeyEnabled());
        json.put("maskChipKey", keyInfo.maskChipKey());
        json.put("signingKeySelector", keyInfo.signingKeySelector());
        SigningKey signingKey = keyInfo.signingKey();
        json.put("signingKey", signingKey == null ? null : signingKey.name());
    }

    private static void tcb(ObjectNode json, TcbVersion tcb) {
        OptionalInt fmc = tcb.fmc();
        if (fmc.isPresent()) {
            json.put("fmc", fmc.getAsInt());
        }
        json.put("bootloader", tcb.bootloader());
        json.put("tee", tcb.tee());
        json.put("snp", tcb.snp());
        json.put("microcode", tcb.microcode());
        json.put("hex", tcb.hex());
    }

    private static void cpuid(ObjectNode json, SnpReportVerdict.@Nullable Cpuid cpuid) {
        if (cpuid == null) {
            json.putNull("cpuid"); // version 2 reports have none
            return;
        }
        ObjectNode object = json.putObject("cpuid");
        object.put("family", cpuid.family());
        object.put("model", cpuid.model());
        object.put("stepping", cpuid.stepping());
    }

    private static void azure(ObjectNode json, Azure azure) {
        json.set("runtimeClaims", parsedClaims(azure.runtimeClaims()));
        json.put("userData", azure.userData());
        json.put("hashType", azure.hashType());
        json.put("headerVersion", azure.headerVersion());
    }

    /** The claims as a JSON object, or null if they are not strict JSON (the verdict then says why). */
    private static @Nullable JsonNode parsedClaims(byte[] claims) {
        try {
            return MAPPER.readTree(claims);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static void vek(ObjectNode json, X509Certificate vek, @Nullable SigningKey kind) {
        json.put("kind", kind == null ? null : kind.name());
        json.put("subject", vek.getSubjectX500Principal().getName(X500Principal.RFC2253));
        json.put("issuer", vek.getIssuerX500Principal().getName(X500Principal.RFC2253));
        json.put("serial", "0x" + vek.getSerialNumber().toString(16));
        json.put("notBefore", vek.getNotBefore().toInstant().toString());
        json.put("notAfter", vek.getNotAfter().toInstant().toString());
    }

    private static @Nullable String hexWord(OptionalLong value) {
        return value.isPresent() ? hexWord(value.getAsLong()) : null;
    }

    /** A word as {@code 0x} and lower-case hex digits without leading zeros, {@code 0x3001f}. */
    private static String hexWord(long value) {
        return "0x" + Long.toHexString(value);
    }

    /**
     * The detail of the exception message, which reads "attestation verification failed: NAME: detail";
     * the first part is the same for every SEV-SNP failure and the name is what {@code code} gives.
     */
    private static String messageWithoutCode(SnpVerificationException failure) {
        String message = String.valueOf(failure.getMessage());
        String marker = failure.failure().name() + ": ";
        int at = message.indexOf(marker);
        return at < 0 ? message : message.substring(at + marker.length());
    }
}
