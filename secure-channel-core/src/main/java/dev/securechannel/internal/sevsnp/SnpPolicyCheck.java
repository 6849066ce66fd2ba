package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpFailure;
import dev.securechannel.attestation.sevsnp.SnpPolicy.Pin;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpVerificationException;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Applies a {@link SnpPolicy} to a report. The policy is API and only says what is required;
 * reading the report is the engine's business, so the checks live here.
 */
public final class SnpPolicyCheck {

    private SnpPolicyCheck() {
    }

    /**
     * Applies the guest-policy checks to a report whose signature and binding were verified,
     * in the order of SEV-SNP.md 4.5 followed by the pins.
     *
     * @throws SnpVerificationException at the first check that fails
     */
    public static void enforce(SnpPolicy policy, SnpReport report, SnpProduct product) {
        long vmpl = report.vmpl();
        if (vmpl == SnpReport.VMPL_HOST_REQUESTED) {
            throw reject(SnpFailure.HOST_REQUESTED_REPORT_REJECTED, "the host, not the guest, requested this report");
        }
        OptionalLong requiredVmpl = policy.requiredVmpl();
        if (requiredVmpl.isPresent() && vmpl != requiredVmpl.getAsLong()) {
            throw reject(SnpFailure.VMPL_MISMATCH, "VMPL " + vmpl + ", required " + requiredVmpl.getAsLong());
        }
        SnpGuestPolicy guestPolicy = report.policy();
        if (policy.rejectDebug() && guestPolicy.debugAllowed()) {
            throw reject(SnpFailure.DEBUG_GUEST_REJECTED, "POLICY.DEBUG is set: the host can read guest memory");
        }
        if (policy.rejectMigrationAgent() && guestPolicy.migrationAgentAllowed()) {
            throw reject(SnpFailure.MIGRATABLE_GUEST_REJECTED, "POLICY.MIGRATE_MA is set");
        }
        Optional<Boolean> requiredSmtAllowed = policy.requiredSmtAllowed();
        if (requiredSmtAllowed.isPresent() && guestPolicy.smtAllowed() != requiredSmtAllowed.get()) {
            throw reject(SnpFailure.SMT_POLICY_MISMATCH, "POLICY.SMT is " + guestPolicy.smtAllowed() + ", required " + requiredSmtAllowed.get());
        }
        Optional<Boolean> requiredSingleSocket = policy.requiredSingleSocket();
        if (requiredSingleSocket.isPresent() && guestPolicy.singleSocketRequired() != requiredSingleSocket.get()) {
            throw reject(SnpFailure.SINGLE_SOCKET_POLICY_MISMATCH,
                    "POLICY.SINGLE_SOCKET is " + guestPolicy.singleSocketRequired() + ", required " + requiredSingleSocket.get());
        }
        if (!policy.acceptedProducts().contains(product)) {
            throw reject(SnpFailure.PRODUCT_NOT_ACCEPTED, product.kdsName() + " is not among " + policy.acceptedProducts());
        }
        TcbVersion reported = report.reportedTcb(product);
        for (Map.Entry<TcbComponent, Integer> minimum : policy.minimumTcb().entrySet()) {
            reported.component(minimum.getKey()).ifPresent(value -> {
                if (value < minimum.getValue()) {
                    throw reject(SnpFailure.TCB_BELOW_MINIMUM,
                            "REPORTED_TCB " + minimum.getKey() + " SPL " + value + " < minimum " + minimum.getValue());
                }
            });
        }
        if (policy.requireCommittedTcbEqualsCurrent() && !report.committedTcb(product).equals(report.currentTcb(product))) {
            throw reject(SnpFailure.COMMITTED_TCB_MISMATCH,
                    "COMMITTED_TCB " + report.committedTcb(product).hex() + " != CURRENT_TCB " + report.currentTcb(product).hex());
        }
        if (report.guestSvn() < policy.minimumGuestSvn()) {
            throw reject(SnpFailure.GUEST_SVN_BELOW_MINIMUM, "GUEST_SVN " + report.guestSvn() + " < minimum " + policy.minimumGuestSvn());
        }
        // Pin.values() is in declaration order, which is the order of the checks.
        for (Pin pin : Pin.values()) {
            Optional<byte[]> pinned = policy.pin(pin);
            if (pinned.isEmpty()) {
                continue;
            }
            byte[] actual = reportField(report, pin);
            if (!MessageDigest.isEqual(pinned.get(), actual)) {
                throw reject(mismatch(pin), pin + " " + HexFormat.of().formatHex(actual) + " is not the pinned value");
            }
        }
    }

    private static byte[] reportField(SnpReport report, Pin pin) {
        return switch (pin) {
            case FAMILY_ID -> report.familyId();
            case IMAGE_ID -> report.imageId();
            case HOST_DATA -> report.hostData();
            case ID_KEY_DIGEST -> report.idKeyDigest();
            case AUTHOR_KEY_DIGEST -> report.authorKeyDigest();
            case MEASUREMENT -> report.measurement();
        };
    }

    private static SnpFailure mismatch(Pin pin) {
        return switch (pin) {
            case FAMILY_ID -> SnpFailure.FAMILY_ID_MISMATCH;
            case IMAGE_ID -> SnpFailure.IMAGE_ID_MISMATCH;
            case HOST_DATA -> SnpFailure.HOST_DATA_MISMATCH;
            case ID_KEY_DIGEST -> SnpFailure.ID_KEY_DIGEST_MISMATCH;
            case AUTHOR_KEY_DIGEST -> SnpFailure.AUTHOR_KEY_DIGEST_MISMATCH;
            case MEASUREMENT -> SnpFailure.MEASUREMENT_MISMATCH;
        };
    }

    private static SnpVerificationException reject(SnpFailure failure, String detail) {
        return new SnpVerificationException(failure, detail);
    }
}
