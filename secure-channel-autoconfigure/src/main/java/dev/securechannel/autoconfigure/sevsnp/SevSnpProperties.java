package dev.securechannel.autoconfigure.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.SnpReport;
import dev.securechannel.autoconfigure.PropertyConstraints;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * AMD SEV-SNP attestation ({@code secure-channel.attestation.sev-snp.*}), used when
 * {@code secure-channel.attestation.provider} is {@code sev-snp} (Linux guests, configfs-tsm)
 * or {@code sev-snp-azure} (Azure confidential VMs, vTPM). The policy starts from the
 * production policy: debug and migration-agent guests refused, VMPL 0, certificate bound to
 * the reported TCB and chip. The command-line verifier's options carry the same names.
 *
 * <p>Validates itself while Spring Boot binds it, so a pin that is not hex of its field's
 * length, or a level out of range, stops startup with Boot's report of the property, its
 * value and its origin.
 */
@ConfigurationProperties(prefix = "secure-channel.attestation.sev-snp")
public class SevSnpProperties implements Validator {

    /** Pin for MEASUREMENT, the launch digest (48 bytes, hex). Unset: not checked here (expected-measurements[0] also pins it). Do not pin it on Azure, where it measures the paravisor. */
    private @Nullable String measurement;

    /** Pin for HOST_DATA (32 bytes, hex). */
    private @Nullable String hostData;

    /** Pin for ID_KEY_DIGEST (48 bytes, hex): the key that signed the guest's ID block; the stable identity to pin on Azure. */
    private @Nullable String idKeyDigest;

    /** Pin for AUTHOR_KEY_DIGEST (48 bytes, hex). */
    private @Nullable String authorKeyDigest;

    /** Pin for FAMILY_ID (16 bytes, hex). */
    private @Nullable String familyId;

    /** Pin for IMAGE_ID (16 bytes, hex). */
    private @Nullable String imageId;

    /** Lowest report VERSION accepted (2 to 5; 3 adds the CPUID fields). */
    private int minimumReportVersion = 2;

    /** Lowest GUEST_SVN accepted. */
    private long minimumGuestSvn = 0;

    /** Processor generations accepted: milan, genoa, turin. */
    private Set<SnpProduct> acceptedProducts = EnumSet.allOf(SnpProduct.class);

    /** Accept guests whose policy allows debugging (their memory is readable by the host). Never in production. */
    private boolean allowDebug = false;

    /** Accept guests whose policy allows a migration agent. */
    private boolean allowMigrationAgent = false;

    /** VMPL the report must have been requested at (0 to 3). */
    private int requiredVmpl = 0;

    /** Accept reports requested at any VMPL (host-requested reports are still refused). */
    private boolean allowAnyVmpl = false;

    /** Required value of the policy's SMT bit; unset: not checked. */
    private @Nullable Boolean smtAllowed;

    /** Required value of the policy's SINGLE_SOCKET bit; unset: not checked. */
    private @Nullable Boolean singleSocket;

    /** Bind the VCEK/VLEK certificate to REPORTED_TCB and CHIP_ID. */
    private boolean checkTcbBinding = true;

    /** Accept VCEK reports whose CHIP_ID is masked (all zero), which cannot be bound to the certificate's hwID. */
    private boolean allowMaskedChipId = false;

    /** Refuse evidence when no AMD CRL is available (by default a CRL is checked when the collateral source has one). */
    private boolean requireCrl = false;

    /** Require COMMITTED_TCB to equal CURRENT_TCB (no pending firmware rollback window). */
    private boolean requireCommittedTcbEqualsCurrent = false;

    /** Processor generation of this machine, for version 2 reports, which do not say (the provider needs it to fetch certificates). */
    private @Nullable SnpProduct product;

    /** configfs-tsm report directory (provider sev-snp). */
    private Path configfsPath = Path.of("/sys/kernel/config/tsm/report");

    /** VMPL to request reports at through configfs-tsm; unset: the kernel's default. */
    private @Nullable Integer privilegeLevel;

    /** TPM resource manager device (provider sev-snp-azure). */
    private Path tpmDevice = Path.of("/dev/tpmrm0");

    /** Minimum time between vTPM report reads: the paravisor refreshes the HCL report at most this often (provider sev-snp-azure). */
    private Duration reportRefreshInterval = Duration.ofSeconds(2);

    /** Reads of the vTPM report before a stale one is an error (provider sev-snp-azure). */
    private int maxReportReads = 5;

    /** Azure Instance Metadata Service, which serves this VM's VCEK chain (provider sev-snp-azure). */
    private URI imdsUrl = URI.create("http://169.254.169.254");

    /** Timeout of IMDS requests. */
    private Duration imdsTimeout = Duration.ofSeconds(5);

    public @Nullable String getMeasurement() {
        return measurement;
    }

    public void setMeasurement(@Nullable String measurement) {
        this.measurement = measurement;
    }

    public @Nullable String getHostData() {
        return hostData;
    }

    public void setHostData(@Nullable String hostData) {
        this.hostData = hostData;
    }

    public @Nullable String getIdKeyDigest() {
        return idKeyDigest;
    }

    public void setIdKeyDigest(@Nullable String idKeyDigest) {
        this.idKeyDigest = idKeyDigest;
    }

    public @Nullable String getAuthorKeyDigest() {
        return authorKeyDigest;
    }

    public void setAuthorKeyDigest(@Nullable String authorKeyDigest) {
        this.authorKeyDigest = authorKeyDigest;
    }

    public @Nullable String getFamilyId() {
        return familyId;
    }

    public void setFamilyId(@Nullable String familyId) {
        this.familyId = familyId;
    }

    public @Nullable String getImageId() {
        return imageId;
    }

    public void setImageId(@Nullable String imageId) {
        this.imageId = imageId;
    }

    public int getMinimumReportVersion() {
        return minimumReportVersion;
    }

    public void setMinimumReportVersion(int minimumReportVersion) {
        this.minimumReportVersion = minimumReportVersion;
    }

    public long getMinimumGuestSvn() {
        return minimumGuestSvn;
    }

    public void setMinimumGuestSvn(long minimumGuestSvn) {
        this.minimumGuestSvn = minimumGuestSvn;
    }

    public Set<SnpProduct> getAcceptedProducts() {
        return acceptedProducts;
    }

    public void setAcceptedProducts(Set<SnpProduct> acceptedProducts) {
        this.acceptedProducts = acceptedProducts;
    }

    public boolean isAllowDebug() {
        return allowDebug;
    }

    public void setAllowDebug(boolean allowDebug) {
        this.allowDebug = allowDebug;
    }

    public boolean isAllowMigrationAgent() {
        return allowMigrationAgent;
    }

    public void setAllowMigrationAgent(boolean allowMigrationAgent) {
        this.allowMigrationAgent = allowMigrationAgent;
    }

    public int getRequiredVmpl() {
        return requiredVmpl;
    }

    public void setRequiredVmpl(int requiredVmpl) {
        this.requiredVmpl = requiredVmpl;
    }

    public boolean isAllowAnyVmpl() {
        return allowAnyVmpl;
    }

    public void setAllowAnyVmpl(boolean allowAnyVmpl) {
        this.allowAnyVmpl = allowAnyVmpl;
    }

    public @Nullable Boolean getSmtAllowed() {
        return smtAllowed;
    }

    public void setSmtAllowed(@Nullable Boolean smtAllowed) {
        this.smtAllowed = smtAllowed;
    }

    public @Nullable Boolean getSingleSocket() {
        return singleSocket;
    }

    public void setSingleSocket(@Nullable Boolean singleSocket) {
        this.singleSocket = singleSocket;
    }

    public boolean isCheckTcbBinding() {
        return checkTcbBinding;
    }

    public void setCheckTcbBinding(boolean checkTcbBinding) {
        this.checkTcbBinding = checkTcbBinding;
    }

    public boolean isAllowMaskedChipId() {
        return allowMaskedChipId;
    }

    public void setAllowMaskedChipId(boolean allowMaskedChipId) {
        this.allowMaskedChipId = allowMaskedChipId;
    }

    public boolean isRequireCrl() {
        return requireCrl;
    }

    public void setRequireCrl(boolean requireCrl) {
        this.requireCrl = requireCrl;
    }

    public boolean isRequireCommittedTcbEqualsCurrent() {
        return requireCommittedTcbEqualsCurrent;
    }

    public void setRequireCommittedTcbEqualsCurrent(boolean requireCommittedTcbEqualsCurrent) {
        this.requireCommittedTcbEqualsCurrent = requireCommittedTcbEqualsCurrent;
    }

    public @Nullable SnpProduct getProduct() {
        return product;
    }

    public void setProduct(@Nullable SnpProduct product) {
        this.product = product;
    }

    public Path getConfigfsPath() {
        return configfsPath;
    }

    public void setConfigfsPath(Path configfsPath) {
        this.configfsPath = configfsPath;
    }

    public @Nullable Integer getPrivilegeLevel() {
        return privilegeLevel;
    }

    public void setPrivilegeLevel(@Nullable Integer privilegeLevel) {
        this.privilegeLevel = privilegeLevel;
    }

    public Path getTpmDevice() {
        return tpmDevice;
    }

    public void setTpmDevice(Path tpmDevice) {
        this.tpmDevice = tpmDevice;
    }

    public Duration getReportRefreshInterval() {
        return reportRefreshInterval;
    }

    public void setReportRefreshInterval(Duration reportRefreshInterval) {
        this.reportRefreshInterval = reportRefreshInterval;
    }

    public int getMaxReportReads() {
        return maxReportReads;
    }

    public void setMaxReportReads(int maxReportReads) {
        this.maxReportReads = maxReportReads;
    }

    public URI getImdsUrl() {
        return imdsUrl;
    }

    public void setImdsUrl(URI imdsUrl) {
        this.imdsUrl = imdsUrl;
    }

    public Duration getImdsTimeout() {
        return imdsTimeout;
    }

    public void setImdsTimeout(Duration imdsTimeout) {
        this.imdsTimeout = imdsTimeout;
    }
    /** Minimum REPORTED_TCB security patch levels; each unset component is not checked. */
    private final MinimumTcb minimumTcb = new MinimumTcb();

    /** Certificates and CRLs (the "collateral") for producing and verifying evidence. */
    private final Collateral collateral = new Collateral();

    public MinimumTcb getMinimumTcb() {
        return minimumTcb;
    }

    public Collateral getCollateral() {
        return collateral;
    }

    /** Itself and its nested objects, each offered by Boot's binder as it finishes binding it. */
    @Override
    public boolean supports(Class<?> type) {
        return type == SevSnpProperties.class || type == MinimumTcb.class || type == Collateral.class;
    }

    @Override
    public void validate(Object target, Errors errors) {
        if (target instanceof SevSnpProperties root) {
            root.validate(errors);
        } else if (target instanceof MinimumTcb minimum) {
            minimum.validate(errors);
        } else if (target instanceof Collateral collateral) {
            collateral.validate(errors);
        }
    }

    private void validate(Errors errors) {
        // The pins' lengths are those of the report's fields (docs/SEV-SNP.md, section 2).
        pin(errors, "measurement", measurement, 48);
        pin(errors, "hostData", hostData, 32);
        pin(errors, "idKeyDigest", idKeyDigest, 48);
        pin(errors, "authorKeyDigest", authorKeyDigest, 48);
        pin(errors, "familyId", familyId, 16);
        pin(errors, "imageId", imageId, 16);
        PropertyConstraints.within(errors, "minimumReportVersion", minimumReportVersion, SnpReport.MIN_VERSION, SnpReport.MAX_VERSION);
        PropertyConstraints.within(errors, "minimumGuestSvn", minimumGuestSvn, 0, 0xFFFF_FFFFL);
        PropertyConstraints.within(errors, "requiredVmpl", requiredVmpl, 0, 3);
        if (privilegeLevel != null) {
            PropertyConstraints.within(errors, "privilegeLevel", privilegeLevel, 0, 3);
        }
        if (acceptedProducts == null || acceptedProducts.isEmpty()) {
            errors.rejectValue("acceptedProducts", "secureChannel.invalid", "must name at least one of milan, genoa, turin");
        }
        PropertyConstraints.notNegative(errors, "reportRefreshInterval", reportRefreshInterval, "read the vTPM report every time");
        PropertyConstraints.atLeast(errors, "maxReportReads", maxReportReads, 1);
        PropertyConstraints.positive(errors, "imdsTimeout", imdsTimeout);
    }

    private static void pin(Errors errors, String field, @Nullable String value, int bytes) {
        // Unset or empty leaves the field unchecked, as the policy builder treats it.
        if (value != null && !value.isBlank()) {
            PropertyConstraints.hexOfLength(errors, field, value, bytes);
        }
    }

    /** Minimum security patch level per TCB component. */
    public static class MinimumTcb {

        /** Minimum bootloader SPL. */
        private @Nullable Integer bootloader;

        /** Minimum tee SPL. */
        private @Nullable Integer tee;

        /** Minimum snp SPL. */
        private @Nullable Integer snp;

        /** Minimum microcode SPL. */
        private @Nullable Integer microcode;

        /** Minimum fmc SPL. */
        private @Nullable Integer fmc;

        public @Nullable Integer getBootloader() {
            return bootloader;
        }

        public void setBootloader(@Nullable Integer bootloader) {
            this.bootloader = bootloader;
        }

        public @Nullable Integer getTee() {
            return tee;
        }

        public void setTee(@Nullable Integer tee) {
            this.tee = tee;
        }

        public @Nullable Integer getSnp() {
            return snp;
        }

        public void setSnp(@Nullable Integer snp) {
            this.snp = snp;
        }

        public @Nullable Integer getMicrocode() {
            return microcode;
        }

        public void setMicrocode(@Nullable Integer microcode) {
            this.microcode = microcode;
        }

        public @Nullable Integer getFmc() {
            return fmc;
        }

        public void setFmc(@Nullable Integer fmc) {
            this.fmc = fmc;
        }

        void validate(Errors errors) {
            spl(errors, "bootloader", bootloader);
            spl(errors, "tee", tee);
            spl(errors, "snp", snp);
            spl(errors, "microcode", microcode);
            spl(errors, "fmc", fmc);
        }

        private static void spl(Errors errors, String field, @Nullable Integer value) {
            if (value != null) {
                PropertyConstraints.within(errors, field, value, 0, 0xFF);
            }
        }
    }

    /** Where certificates and CRLs come from. */
    public enum CollateralSource {
        /** AMD's Key Distribution Service over HTTPS, rate-limited and cached. */
        KDS,
        /** Configured files only; never opens a connection. */
        OFFLINE
    }

    /** Certificates and CRLs. */
    public static class Collateral {

        /** Where certificates and CRLs come from: kds (AMD Key Distribution Service, cached) or offline (files only, no network). */
        private CollateralSource source = CollateralSource.KDS;

        /** AMD KDS base URL. */
        private URI kdsUrl = URI.create("https://kdsintf.amd.com");

        /** Minimum time between KDS requests; AMD rate-limits the service. */
        private Duration kdsRequestSpacing = Duration.ofSeconds(2);

        /** Timeout of KDS requests. */
        private Duration kdsTimeout = Duration.ofSeconds(10);

        /** VCEK chains cached (by chip and TCB). */
        private int cacheSize = 256;

        /** Refetch a CRL after this long even before its nextUpdate. */
        private Duration crlMaxAge = Duration.ofDays(1);

        /** Offline mode: certificate files or directories (PEM or DER; VCEKs, ASKs, ARKs). */
        private List<Path> certificates = new ArrayList<>();

        /** Offline mode: CRL file per product (milan, genoa, turin). */
        private Map<SnpProduct, Path> crls = new EnumMap<>(SnpProduct.class);

        public CollateralSource getSource() {
            return source;
        }

        public void setSource(CollateralSource source) {
            this.source = source;
        }

        public URI getKdsUrl() {
            return kdsUrl;
        }

        public void setKdsUrl(URI kdsUrl) {
            this.kdsUrl = kdsUrl;
        }

        public Duration getKdsRequestSpacing() {
            return kdsRequestSpacing;
        }

        public void setKdsRequestSpacing(Duration kdsRequestSpacing) {
            this.kdsRequestSpacing = kdsRequestSpacing;
        }

        public Duration getKdsTimeout() {
            return kdsTimeout;
        }

        public void setKdsTimeout(Duration kdsTimeout) {
            this.kdsTimeout = kdsTimeout;
        }

        public int getCacheSize() {
            return cacheSize;
        }

        public void setCacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
        }

        public Duration getCrlMaxAge() {
            return crlMaxAge;
        }

        public void setCrlMaxAge(Duration crlMaxAge) {
            this.crlMaxAge = crlMaxAge;
        }

        public List<Path> getCertificates() {
            return certificates;
        }

        public void setCertificates(List<Path> certificates) {
            this.certificates = certificates;
        }

        public Map<SnpProduct, Path> getCrls() {
            return crls;
        }

        public void setCrls(Map<SnpProduct, Path> crls) {
            this.crls = crls;
        }

        void validate(Errors errors) {
            PropertyConstraints.notNegative(errors, "kdsRequestSpacing", kdsRequestSpacing, "no spacing");
            PropertyConstraints.positive(errors, "kdsTimeout", kdsTimeout);
            PropertyConstraints.atLeast(errors, "cacheSize", cacheSize, 1);
            PropertyConstraints.positive(errors, "crlMaxAge", crlMaxAge);
        }
    }
}
