package dev.securechannel.attestation.sevsnp;

import dev.securechannel.internal.sevsnp.SnpReport;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a genuine SEV-SNP report must also satisfy to be accepted: guest policy bits, VMPL,
 * minimum TCB, accepted products and optional pins (SEV-SNP.md section 4, steps 1.2 and 5–6).
 * Checked in that order once the signature and certificate binding hold. Immutable and
 * thread-safe; build one with {@link #production()}, {@link #development()} or
 * {@link #builder()}.
 *
 * <p>A report the host requested (VMPL 0xFFFFFFFF) is rejected under every policy.
 */
public final class SnpPolicy {

    private static final SnpPolicy PRODUCTION = new Builder().build();
    private static final SnpPolicy DEVELOPMENT = new Builder()
            .rejectDebug(false)
            .rejectMigrationAgent(false)
            .anyVmpl()
            .checkTcbBinding(false)
            .build();

    private final boolean rejectDebug;
    private final boolean rejectMigrationAgent;
    private final @Nullable Boolean requiredSmtAllowed;
    private final @Nullable Boolean requiredSingleSocket;
    private final @Nullable Long requiredVmpl;
    private final Map<TcbComponent, Integer> minimumTcb;
    private final boolean requireCommittedTcbEqualsCurrent;
    private final Set<SnpProduct> acceptedProducts;
    private final int minimumReportVersion;
    private final long minimumGuestSvn;
    private final Map<Pin, byte[]> pins;
    private final boolean checkTcbBinding;
    private final boolean allowMaskedChipId;
    private final boolean requireCrl;

    private SnpPolicy(Builder builder) {
        this.rejectDebug = builder.rejectDebug;
        this.rejectMigrationAgent = builder.rejectMigrationAgent;
        this.requiredSmtAllowed = builder.requiredSmtAllowed;
        this.requiredSingleSocket = builder.requiredSingleSocket;
        this.requiredVmpl = builder.requiredVmpl;
        this.minimumTcb = Collections.unmodifiableMap(new EnumMap<>(builder.minimumTcb));
        this.requireCommittedTcbEqualsCurrent = builder.requireCommittedTcbEqualsCurrent;
        this.acceptedProducts = Collections.unmodifiableSet(EnumSet.copyOf(builder.acceptedProducts));
        this.minimumReportVersion = builder.minimumReportVersion;
        this.minimumGuestSvn = builder.minimumGuestSvn;
        this.pins = copy(builder.pins);
        this.checkTcbBinding = builder.checkTcbBinding;
        this.allowMaskedChipId = builder.allowMaskedChipId;
        this.requireCrl = builder.requireCrl;
    }

    /**
     * The default: reject debug and migratable guests, require VMPL 0, bind the VCEK/VLEK to
     * REPORTED_TCB and CHIP_ID (a masked CHIP_ID is rejected), accept Milan, Genoa and Turin,
     * report version 2 or newer, no pins, CRL checked when the source has one.
     */
    public static SnpPolicy production() {
        return PRODUCTION;
    }

    /**
     * For development hosts: like {@link #production()}, but debug and migratable guests and
     * any VMPL are accepted and the certificate-to-report binding is not checked. The chain and
     * the report signature are still verified; host-requested reports are still rejected.
     */
    public static SnpPolicy development() {
        return DEVELOPMENT;
    }

    /** A builder starting from {@link #production()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether POLICY.DEBUG must be clear. */
    public boolean rejectDebug() {
        return rejectDebug;
    }

    /** Whether POLICY.MIGRATE_MA must be clear. */
    public boolean rejectMigrationAgent() {
        return rejectMigrationAgent;
    }

    /** The value POLICY.SMT must have, if pinned. */
    public Optional<Boolean> requiredSmtAllowed() {
        return Optional.ofNullable(requiredSmtAllowed);
    }

    /** The value POLICY.SINGLE_SOCKET must have, if pinned. */
    public Optional<Boolean> requiredSingleSocket() {
        return Optional.ofNullable(requiredSingleSocket);
    }

    /** The VMPL the report must be requested for, if pinned (default 0). */
    public OptionalLong requiredVmpl() {
        return requiredVmpl == null ? OptionalLong.empty() : OptionalLong.of(requiredVmpl);
    }

    /** Minimum REPORTED_TCB per component; FMC applies to Turin only. */
    public Map<TcbComponent, Integer> minimumTcb() {
        return minimumTcb;
    }

    /** Whether COMMITTED_TCB must equal CURRENT_TCB (no provisional firmware); off by default, since Azure reports differ. */
    public boolean requireCommittedTcbEqualsCurrent() {
        return requireCommittedTcbEqualsCurrent;
    }

    /** The products accepted. */
    public Set<SnpProduct> acceptedProducts() {
        return acceptedProducts;
    }

    /** The lowest report VERSION accepted (default 2). */
    public int minimumReportVersion() {
        return minimumReportVersion;
    }

    /** The lowest GUEST_SVN accepted (default 0). */
    public long minimumGuestSvn() {
        return minimumGuestSvn;
    }

    /** The value the report field {@code pin} must have, if pinned (a copy). */
    public Optional<byte[]> pin(Pin pin) {
        return Optional.ofNullable(pins.get(pin)).map(byte[]::clone);
    }

    /** The MEASUREMENT pin (48 bytes). */
    public Optional<byte[]> expectedMeasurement() {
        return pin(Pin.MEASUREMENT);
    }

    /** The HOST_DATA pin (32 bytes). */
    public Optional<byte[]> expectedHostData() {
        return pin(Pin.HOST_DATA);
    }

    /** The ID_KEY_DIGEST pin (48 bytes). */
    public Optional<byte[]> expectedIdKeyDigest() {
        return pin(Pin.ID_KEY_DIGEST);
    }

    /** The AUTHOR_KEY_DIGEST pin (48 bytes). */
    public Optional<byte[]> expectedAuthorKeyDigest() {
        return pin(Pin.AUTHOR_KEY_DIGEST);
    }

    /** The FAMILY_ID pin (16 bytes). */
    public Optional<byte[]> expectedFamilyId() {
        return pin(Pin.FAMILY_ID);
    }

    /** The IMAGE_ID pin (16 bytes). */
    public Optional<byte[]> expectedImageId() {
        return pin(Pin.IMAGE_ID);
    }

    /** Whether the VCEK/VLEK SPLs must equal REPORTED_TCB and a VCEK's hwID must equal CHIP_ID. */
    public boolean checkTcbBinding() {
        return checkTcbBinding;
    }

    /** Whether a VCEK-signed report with an all-zero CHIP_ID is accepted without the hwID check. */
    public boolean allowMaskedChipId() {
        return allowMaskedChipId;
    }

    /** Whether the CRL source must supply a CRL. */
    public boolean requireCrl() {
        return requireCrl;
    }

    @Override
    public String toString() {
        return "SnpPolicy[rejectDebug=" + rejectDebug + ", rejectMigrationAgent=" + rejectMigrationAgent
                + ", requiredVmpl=" + requiredVmpl + ", smt=" + requiredSmtAllowed + ", singleSocket=" + requiredSingleSocket
                + ", minimumTcb=" + minimumTcb + ", products=" + acceptedProducts + ", minimumReportVersion=" + minimumReportVersion
                + ", minimumGuestSvn=" + minimumGuestSvn + ", pins=" + pins.keySet()
                + ", checkTcbBinding=" + checkTcbBinding + ", allowMaskedChipId=" + allowMaskedChipId
                + ", requireCrl=" + requireCrl + "]";
    }

    private static Map<Pin, byte[]> copy(Map<Pin, byte[]> pins) {
        EnumMap<Pin, byte[]> copied = new EnumMap<>(Pin.class);
        pins.forEach((pin, value) -> copied.put(pin, value.clone()));
        return Collections.unmodifiableMap(copied);
    }

    /**
     * A report field a policy can pin to one exact value. The pins are checked after every other
     * check, in the order declared here; each mismatch has its own {@link SnpFailure}.
     */
    public enum Pin {
        /** FAMILY_ID (16 bytes), the guest family named by the ID block. */
        FAMILY_ID(16),
        /** IMAGE_ID (16 bytes), the guest image named by the ID block. */
        IMAGE_ID(16),
        /** HOST_DATA (32 bytes), the value the host gave at launch. */
        HOST_DATA(32),
        /** ID_KEY_DIGEST (48 bytes), the key that signed the ID block. */
        ID_KEY_DIGEST(48),
        /** AUTHOR_KEY_DIGEST (48 bytes), the key that signed the ID key. */
        AUTHOR_KEY_DIGEST(48),
        /** MEASUREMENT (48 bytes), the launch digest. */
        MEASUREMENT(48);

        private final int length;

        Pin(int length) {
            this.length = length;
        }

        /** The field's length in the report, which a pin must have. */
        public int length() {
            return length;
        }
    }

    /** Builds a {@link SnpPolicy}; starts from {@link #production()}. Not thread-safe. */
    public static final class Builder {

        private boolean rejectDebug = true;
        private boolean rejectMigrationAgent = true;
        private @Nullable Boolean requiredSmtAllowed;
        private @Nullable Boolean requiredSingleSocket;
        private @Nullable Long requiredVmpl = 0L;
        private final EnumMap<TcbComponent, Integer> minimumTcb = new EnumMap<>(TcbComponent.class);
        private boolean requireCommittedTcbEqualsCurrent;
        private Set<SnpProduct> acceptedProducts = EnumSet.allOf(SnpProduct.class);
        private int minimumReportVersion = SnpReport.MIN_VERSION;
        private long minimumGuestSvn;
        private final EnumMap<Pin, byte[]> pins = new EnumMap<>(Pin.class);
        private boolean checkTcbBinding = true;
        private boolean allowMaskedChipId;
        private boolean requireCrl;

        private Builder() {
        }

        private Builder(SnpPolicy policy) {
            this.rejectDebug = policy.rejectDebug;
            this.rejectMigrationAgent = policy.rejectMigrationAgent;
            this.requiredSmtAllowed = policy.requiredSmtAllowed;
            this.requiredSingleSocket = policy.requiredSingleSocket;
            this.requiredVmpl = policy.requiredVmpl;
            this.minimumTcb.putAll(policy.minimumTcb);
            this.requireCommittedTcbEqualsCurrent = policy.requireCommittedTcbEqualsCurrent;
            this.acceptedProducts = EnumSet.copyOf(policy.acceptedProducts);
            this.minimumReportVersion = policy.minimumReportVersion;
            this.minimumGuestSvn = policy.minimumGuestSvn;
            // The policy's arrays are never written to, and build() copies them again.
            this.pins.putAll(policy.pins);
            this.checkTcbBinding = policy.checkTcbBinding;
            this.allowMaskedChipId = policy.allowMaskedChipId;
            this.requireCrl = policy.requireCrl;
        }

        /** Whether to reject guests whose POLICY allows debugging (default true). */
        public Builder rejectDebug(boolean reject) {
            this.rejectDebug = reject;
            return this;
        }

        /** Whether to reject guests whose POLICY allows a migration agent (default true). */
        public Builder rejectMigrationAgent(boolean reject) {
            this.rejectMigrationAgent = reject;
            return this;
        }

        /** Pins POLICY.SMT to {@code smtAllowed}; {@code null} (the default) leaves it unchecked. */
        public Builder requireSmtAllowed(@Nullable Boolean smtAllowed) {
            this.requiredSmtAllowed = smtAllowed;
            return this;
        }

        /** Pins POLICY.SINGLE_SOCKET to {@code singleSocket}; {@code null} (the default) leaves it unchecked. */
        public Builder requireSingleSocket(@Nullable Boolean singleSocket) {
            this.requiredSingleSocket = singleSocket;
            return this;
        }

        /** Requires the report to be requested at {@code vmpl} (0–3; default 0). */
        public Builder requiredVmpl(int vmpl) {
            if (vmpl < 0 || vmpl > 3) {
                throw new IllegalArgumentException("VMPL must be 0..3, not " + vmpl);
            }
            this.requiredVmpl = (long) vmpl;
            return this;
        }

        /** Accepts any guest VMPL (host-requested reports are still rejected). */
        public Builder anyVmpl() {
            this.requiredVmpl = null;
            return this;
        }

        /** Requires REPORTED_TCB's {@code component} to be at least {@code spl} (0–255). */
        public Builder minimumTcb(TcbComponent component, int spl) {
            if (spl < 0 || spl > 0xFF) {
                throw new IllegalArgumentException("an SPL must be 0..255, not " + spl);
            }
            minimumTcb.put(component, spl);
            return this;
        }

        /** Requires every component of REPORTED_TCB present in {@code minimum} to be at least its value. */
        public Builder minimumTcb(TcbVersion minimum) {
            for (TcbComponent component : TcbComponent.values()) {
                minimum.component(component).ifPresent(spl -> minimumTcb.put(component, spl));
            }
            return this;
        }

        /** Whether COMMITTED_TCB must equal CURRENT_TCB (default false). */
        public Builder requireCommittedTcbEqualsCurrent(boolean require) {
            this.requireCommittedTcbEqualsCurrent = require;
            return this;
        }

        /** The products to accept (default all three); at least one. */
        public Builder acceptedProducts(Set<SnpProduct> products) {
            if (products.isEmpty()) {
                throw new IllegalArgumentException("at least one product must be accepted, of " + EnumSet.allOf(SnpProduct.class));
            }
            this.acceptedProducts = EnumSet.copyOf(products);
            return this;
        }

        /** The products to accept (default all three); at least one. */
        public Builder acceptedProducts(SnpProduct first, SnpProduct... more) {
            return acceptedProducts(EnumSet.of(first, more));
        }

        /** The lowest report VERSION to accept (2–5; default 2, 3 brings CPUID). */
        public Builder minimumReportVersion(int version) {
            if (version < SnpReport.MIN_VERSION || version > SnpReport.MAX_VERSION) {
                throw new IllegalArgumentException("the report version must be " + SnpReport.MIN_VERSION + ".." + SnpReport.MAX_VERSION + ", not " + version);
            }
            this.minimumReportVersion = version;
            return this;
        }

        /** The lowest GUEST_SVN to accept (unsigned 32-bit; default 0). */
        public Builder minimumGuestSvn(long svn) {
            if (svn < 0 || svn > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("GUEST_SVN must be 0..4294967295 (unsigned 32-bit), not " + svn);
            }
            this.minimumGuestSvn = svn;
            return this;
        }

        /**
         * Pins the report field {@code pin} to {@code value}, which must have the field's
         * {@linkplain Pin#length() length}; {@code null} removes the pin.
         */
        public Builder pin(Pin pin, byte @Nullable [] value) {
            if (value == null) {
                pins.remove(pin);
                return this;
            }
            if (value.length != pin.length()) {
                throw new IllegalArgumentException(pin + " must be " + pin.length() + " bytes, not " + value.length);
            }
            pins.put(pin, value.clone());
            return this;
        }

        /** Pins MEASUREMENT (48 bytes); {@code null} removes the pin. */
        public Builder expectedMeasurement(byte @Nullable [] measurement) {
            return pin(Pin.MEASUREMENT, measurement);
        }

        /** Pins HOST_DATA (32 bytes); {@code null} removes the pin. */
        public Builder expectedHostData(byte @Nullable [] hostData) {
            return pin(Pin.HOST_DATA, hostData);
        }

        /** Pins ID_KEY_DIGEST (48 bytes); {@code null} removes the pin. */
        public Builder expectedIdKeyDigest(byte @Nullable [] digest) {
            return pin(Pin.ID_KEY_DIGEST, digest);
        }

        /** Pins AUTHOR_KEY_DIGEST (48 bytes); {@code null} removes the pin. */
        public Builder expectedAuthorKeyDigest(byte @Nullable [] digest) {
            return pin(Pin.AUTHOR_KEY_DIGEST, digest);
        }

        /** Pins FAMILY_ID (16 bytes); {@code null} removes the pin. */
        public Builder expectedFamilyId(byte @Nullable [] familyId) {
            return pin(Pin.FAMILY_ID, familyId);
        }

        /** Pins IMAGE_ID (16 bytes); {@code null} removes the pin. */
        public Builder expectedImageId(byte @Nullable [] imageId) {
            return pin(Pin.IMAGE_ID, imageId);
        }

        /** Whether to bind the VCEK/VLEK to REPORTED_TCB and CHIP_ID (default true). */
        public Builder checkTcbBinding(boolean check) {
            this.checkTcbBinding = check;
            return this;
        }

        /**
         * Whether to accept a VCEK-signed report whose CHIP_ID is all zero, skipping the hwID
         * comparison (default false). VLEK reports are not chip-bound and are unaffected.
         */
        public Builder allowMaskedChipId(boolean allow) {
            this.allowMaskedChipId = allow;
            return this;
        }

        /** Whether the CRL source must supply a CRL (default false: checked when present). */
        public Builder requireCrl(boolean require) {
            this.requireCrl = require;
            return this;
        }

        /** The policy. */
        public SnpPolicy build() {
            return new SnpPolicy(this);
        }
    }
}
