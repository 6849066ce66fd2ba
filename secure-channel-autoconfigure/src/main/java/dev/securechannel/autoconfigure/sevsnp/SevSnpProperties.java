package dev.securechannel.autoconfigure.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpPolicy.Pin;
import dev.securechannel.attestation.sevsnp.SnpPolicy;
import dev.securechannel.attestation.sevsnp.SnpPolicySettings;
import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbComponent;
import dev.securechannel.autoconfigure.PropertyConstraints;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * the reported TCB and chip. A policy property left unset keeps the production policy's value,
 * which its description names; the core's {@link SnpPolicySettings} reads and checks the
 * properties set, as it does the command-line verifier's options of the same names.
 *
 * <p>Validates itself while Spring Boot binds it, so a pin that is not hex of its field's
 * length, or a level out of range, stops startup with Boot's report of the property, its
 * value and its origin.
 */
@ConfigurationProperties(prefix = SevSnpProperties.PREFIX)
public class SevSnpProperties implements Validator {

    static final String PREFIX = "secure-channel.attestation.sev-snp";

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

    /** Lowest report VERSION accepted (2 to 5; 3 adds the CPUID fields). Unset: 2. */
    private @Nullable Integer minimumReportVersion;

    /** Lowest GUEST_SVN accepted. Unset: 0. */
    private @Nullable Long minimumGuestSvn;

    /** Processor generations accepted, a list of milan, genoa and turin. Unset: milan, genoa, turin. */
    private @Nullable Set<SnpProduct> acceptedProducts;

    /** Accept guests whose policy allows debugging (their memory is readable by the host). Never in production. Unset: false. */
    private @Nullable Boolean allowDebug;

    /** Accept guests whose policy allows a migration agent. Unset: false. */
    private @Nullable Boolean allowMigrationAgent;

    /** VMPL the report must have been requested at (0 to 3). Unset: 0. Not together with allow-any-vmpl=true. */
    private @Nullable Integer requiredVmpl;

    /** Accept reports requested at any VMPL (host-requested reports are still refused). Unset: false. */
    private @Nullable Boolean allowAnyVmpl;

    /** Required value of the policy's SMT bit; unset: not checked. */
    private @Nullable Boolean smtAllowed;

    /** Required value of the policy's SINGLE_SOCKET bit; unset: not checked. */
    private @Nullable Boolean singleSocket;

    /** Bind the VCEK/VLEK certificate to REPORTED_TCB and CHIP_ID. Unset: true. */
    private @Nullable Boolean checkTcbBinding;

    /** Accept VCEK reports whose CHIP_ID is masked (all zero), which cannot be bound to the certificate's hwID. Unset: false. */
    private @Nullable Boolean allowMaskedChipId;

    /** Refuse evidence when no AMD CRL is available (by default a CRL is checked when the collateral source has one). Unset: false. */
    private @Nullable Boolean requireCrl;

    /** Require COMMITTED_TCB to equal CURRENT_TCB (no pending firmware rollback window). Unset: false. */
    private @Nullable Boolean requireCommittedTcbEqualsCurrent;

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

    public @Nullable Integer getMinimumReportVersion() {
        return minimumReportVersion;
    }

    public void setMinimumReportVersion(@Nullable Integer minimumReportVersion) {
        this.minimumReportVersion = minimumReportVersion;
    }

    public @Nullable Long getMinimumGuestSvn() {
        return minimumGuestSvn;
    }

    public void setMinimumGuestSvn(@Nullable Long minimumGuestSvn) {
        this.minimumGuestSvn = minimumGuestSvn;
    }

    public @Nullable Set<SnpProduct> getAcceptedProducts() {
        return acceptedProducts;
    }

    public void setAcceptedProducts(@Nullable Set<SnpProduct> acceptedProducts) {
        this.acceptedProducts = acceptedProducts;
    }

    public @Nullable Boolean getAllowDebug() {
        return allowDebug;
    }

    public void setAllowDebug(@Nullable Boolean allowDebug) {
        this.allowDebug = allowDebug;
    }

    public @Nullable Boolean getAllowMigrationAgent() {
        return allowMigrationAgent;
    }

    public void setAllowMigrationAgent(@Nullable Boolean allowMigrationAgent) {
        this.allowMigrationAgent = allowMigrationAgent;
    }

    public @Nullable Integer getRequiredVmpl() {
        return requiredVmpl;
    }

    public void setRequiredVmpl(@Nullable Integer requiredVmpl) {
        this.requiredVmpl = requiredVmpl;
    }

    public @Nullable Boolean getAllowAnyVmpl() {
        return allowAnyVmpl;
    }

    public void setAllowAnyVmpl(@Nullable Boolean allowAnyVmpl) {
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

    public @Nullable Boolean getCheckTcbBinding() {
        return checkTcbBinding;
    }

    public void setCheckTcbBinding(@Nullable Boolean checkTcbBinding) {
        this.checkTcbBinding = checkTcbBinding;
    }

    public @Nullable Boolean getAllowMaskedChipId() {
        return allowMaskedChipId;
    }

    public void setAllowMaskedChipId(@Nullable Boolean allowMaskedChipId) {
        this.allowMaskedChipId = allowMaskedChipId;
    }

    public @Nullable Boolean getRequireCrl() {
        return requireCrl;
    }

    public void setRequireCrl(@Nullable Boolean requireCrl) {
        this.requireCrl = requireCrl;
    }

    public @Nullable Boolean getRequireCommittedTcbEqualsCurrent() {
        return requireCommittedTcbEqualsCurrent;
    }

    public void setRequireCommittedTcbEqualsCurrent(@Nullable Boolean requireCommittedTcbEqualsCurrent) {
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

    /**
     * The SEV-SNP policy these properties describe: the production policy with each policy
     * property set applied.
     *
     * @throws dev.securechannel.attestation.sevsnp.SnpPolicySettingException for a property the
     *         policy refuses, named in full; binding has already refused it when Boot bound these
     */
    SnpPolicy policy() {
        return minimumTcb.addTo(ownPolicySettings()).build().toPolicy(SnpPolicy.production(), key -> PREFIX + "." + key);
    }

    /** The policy properties declared on this class (minimum-tcb.* are on {@link MinimumTcb}). */
    private SnpPolicySettings.Builder ownPolicySettings() {
        return SnpPolicySettings.builder()
                .pin(Pin.MEASUREMENT, measurement)
                .pin(Pin.HOST_DATA, hostData)
                .pin(Pin.ID_KEY_DIGEST, idKeyDigest)
                .pin(Pin.AUTHOR_KEY_DIGEST, authorKeyDigest)
                .pin(Pin.FAMILY_ID, familyId)
                .pin(Pin.IMAGE_ID, imageId)
                .minimumReportVersion(minimumReportVersion)
                .minimumGuestSvn(minimumGuestSvn)
                .acceptedProducts(acceptedProducts)
                .allowDebug(allowDebug)
                .allowMigrationAgent(allowMigrationAgent)
                .requiredVmpl(requiredVmpl)
                .allowAnyVmpl(allowAnyVmpl)
                .smtAllowed(smtAllowed)
                .singleSocket(singleSocket)
                .checkTcbBinding(checkTcbBinding)
                .allowMaskedChipId(allowMaskedChipId)
                .requireCrl(requireCrl)
                .requireCommittedTcbEqualsCurrent(requireCommittedTcbEqualsCurrent);
    }

    private void validate(Errors errors) {
        rejectRefusedSettings(errors, ownPolicySettings().build());
        if (privilegeLevel != null) {
            PropertyConstraints.within(errors, "privilegeLevel", privilegeLevel, 0, 3);
        }
        PropertyConstraints.notNegative(errors, "reportRefreshInterval", reportRefreshInterval, "read the vTPM report every time");
        PropertyConstraints.atLeast(errors, "maxReportReads", maxReportReads, 1);
        PropertyConstraints.positive(errors, "imdsTimeout", imdsTimeout);
    }

    /**
     * Rejects each setting the core refuses on the field that holds it, on the object being
     * bound: only there does Boot's report find the property's origin.
     */
    private static void rejectRefusedSettings(Errors errors, SnpPolicySettings settings) {
        for (SnpPolicySettings.Rejection refused : settings.rejections(SevSnpProperties::fieldOf)) {
            PropertyConstraints.reject(errors, refused.setting(), refused.value(), refused.fix());
        }
    }

    /** The field a setting's key names on the object that declares it: host-data is hostData, minimum-tcb.bootloader is bootloader. */
    private static String fieldOf(String key) {
        String property = key.substring(key.lastIndexOf('.') + 1);
        StringBuilder field = new StringBuilder(property.length());
        boolean wordStart = false;
        for (char c : property.toCharArray()) {
            if (c == '-') {
                wordStart = true;
            } else {
                field.append(wordStart ? Character.toUpperCase(c) : c);
                wordStart = false;
            }
        }
        return field.toString();
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

        SnpPolicySettings.Builder addTo(SnpPolicySettings.Builder settings) {
            return settings.minimumTcb(TcbComponent.BOOTLOADER, bootloader)
                    .minimumTcb(TcbComponent.TEE, tee)
                    .minimumTcb(TcbComponent.SNP, snp)
                    .minimumTcb(TcbComponent.MICROCODE, microcode)
                    .minimumTcb(TcbComponent.FMC, fmc);
        }

        void validate(Errors errors) {
            rejectRefusedSettings(errors, addTo(SnpPolicySettings.builder()).build());
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
