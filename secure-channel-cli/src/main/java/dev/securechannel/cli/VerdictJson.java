package dev.securechannel.cli;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import dev.securechannel.internal.sevsnp.HclReport;
import dev.securechannel.internal.sevsnp.SnpGuestPolicy;
import dev.securechannel.internal.sevsnp.SnpPlatformInfo;
import dev.securechannel.internal.sevsnp.SnpReport;
import dev.securechannel.internal.sevsnp.VekKind;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
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
 * Renders a {@link Verdict} as the command's one JSON object. Keys come in a fixed order (the
 * insertion order below) and are always present, with {@code null} for what is unknown, so that
 * scripts can rely on the shape; byte fields are lower-case hex.
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
    private static final HexFormat HEX = HexFormat.of();

    private VerdictJson() {
    }

    /** The pretty-printed JSON text, without a trailing line break. */
    static String render(Verdict verdict) {
        return MAPPER.writeValueAsString(toJson(verdict));
    }

    /** The JSON tree. */
    static ObjectNode toJson(Verdict verdict) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("kind", verdict.kind().jsonName());
        SnpReport report = verdict.report();
        if (report == null) {
            root.putNull("report");
        } else {
            report(root.putObject("report"), report, verdict.product());
        }
        if (verdict.kind() == Verdict.EvidenceKind.AZURE) {
            HclReport hclReport = verdict.hclReport();
            if (hclReport == null) {
                root.putNull("azure");
            } else {
                azure(root.putObject("azure"), hclReport);
            }
        }
        X509Certificate vek = verdict.vek();
        if (vek == null) {
            root.putNull("vek");
        } else {
            vek(root.putObject("vek"), vek, verdict.vekKind());
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

    private static void report(ObjectNode json, SnpReport report, @Nullable SnpProduct product) {
        json.put("version", report.version());
        json.put("guestSvn", report.guestSvn());
        json.put("product", product == null ? null : product.kdsName());
        policy(json.putObject("policy"), report.policy());
        json.put("familyId", HEX.formatHex(report.familyId()));
        json.put("imageId", HEX.formatHex(report.imageId()));
        json.put("vmpl", report.vmpl());
        json.put("signatureAlgorithm", report.signatureAlgorithm());
        platformInfo(json.putObject("platformInfo"), report.platformInfo());
        keyInfo(json.putObject("keyInfo"), report);
        // Without a product (a version 2 report whose chain was not classified) the Milan/Genoa layout is shown.
        tcb(json.putObject("currentTcb"), product == null ? report.currentTcb() : report.currentTcb(product));
        tcb(json.putObject("reportedTcb"), product == null ? report.reportedTcb() : report.reportedTcb(product));
        tcb(json.putObject("committedTcb"), product == null ? report.committedTcb() : report.committedTcb(product));
        tcb(json.putObject("launchTcb"), product == null ? report.launchTcb() : report.launchTcb(product));
        json.put("currentFirmware", report.currentFirmware().toString());
        json.put("committedFirmware", report.committedFirmware().toString());
        cpuid(json, report);
        json.put("reportData", HEX.formatHex(report.reportData()));
        json.put("measurement", HEX.formatHex(report.measurement()));
        json.put("hostData", HEX.formatHex(report.hostData()));
        json.put("idKeyDigest", HEX.formatHex(report.idKeyDigest()));
        json.put("authorKeyDigest", HEX.formatHex(report.authorKeyDigest()));
        json.put("reportId", HEX.formatHex(report.reportId()));
        json.put("reportIdMa", HEX.formatHex(report.reportIdMa()));
        json.put("chipId", HEX.formatHex(report.chipId()));
        json.put("launchMitigationVector", hexWord(report.launchMitigationVector()));
        json.put("currentMitigationVector", hexWord(report.currentMitigationVector()));
    }

    private static void policy(ObjectNode json, SnpGuestPolicy policy) {
        json.put("hex", policy.hex());
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

    private static void platformInfo(ObjectNode json, SnpPlatformInfo platformInfo) {
        json.put("hex", platformInfo.hex());
        json.put("smtEnabled", platformInfo.smtEnabled());
        json.put("tsmeEnabled", platformInfo.tsmeEnabled());
        json.put("eccEnabled", platformInfo.eccEnabled());
        json.put("raplDisabled", platformInfo.raplDisabled());
        json.put("ciphertextHidingEnabled", platformInfo.ciphertextHidingEnabled());
        json.put("aliasCheckComplete", platformInfo.aliasCheckComplete());
        json.put("tioEnabled", platformInfo.tioEnabled());
    }

    private static void keyInfo(ObjectNode json, SnpReport report) {
        json.put("hex", "0x" + Long.toHexString(report.keyInfo()));
        json.put("authorKeyEnabled", report.authorKeyEnabled());
        json.put("maskChipKey", report.maskChipKey());
        json.put("signingKeySelector", report.signingKeySelector());
        json.put("signingKey", report.signingKey().map(Enum::name).orElse(null));
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

    private static void cpuid(ObjectNode json, SnpReport report) {
        OptionalInt family = report.cpuidFamily();
        if (family.isEmpty()) {
            json.putNull("cpuid"); // version 2 reports have none
            return;
        }
        ObjectNode cpuid = json.putObject("cpuid");
        cpuid.put("family", family.getAsInt());
        cpuid.put("model", report.cpuidModel().orElseThrow());
        cpuid.put("stepping", report.cpuidStepping().orElseThrow());
    }

    private static void azure(ObjectNode json, HclReport hclReport) {
        json.set("runtimeClaims", parsedClaims(hclReport.runtimeClaims()));
        json.put("userData", userDataHex(hclReport));
        json.put("hashType", hclReport.hashType().name().replace('_', '-'));
        json.put("headerVersion", hclReport.headerVersion());
    }

    /** The claims as a JSON object, or null if they are not strict JSON (the verdict then says why). */
    private static @Nullable JsonNode parsedClaims(byte[] claims) {
        try {
            return MAPPER.readTree(claims);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The 64 bytes of {@code user-data} in lower case, or null if the claims carry none or a malformed one. */
    private static @Nullable String userDataHex(HclReport hclReport) {
        try {
            return hclReport.userData().map(HEX::formatHex).orElse(null);
        } catch (SnpVerificationException e) {
            return null;
        }
    }

    private static void vek(ObjectNode json, X509Certificate vek, @Nullable VekKind kind) {
        json.put("kind", kind == null ? null : kind.name());
        json.put("subject", vek.getSubjectX500Principal().getName(X500Principal.RFC2253));
        json.put("issuer", vek.getIssuerX500Principal().getName(X500Principal.RFC2253));
        json.put("serial", "0x" + vek.getSerialNumber().toString(16));
        json.put("notBefore", vek.getNotBefore().toInstant().toString());
        json.put("notAfter", vek.getNotAfter().toInstant().toString());
    }

    private static @Nullable String hexWord(OptionalLong value) {
        return value.isPresent() ? "0x" + Long.toHexString(value.getAsLong()) : null;
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
