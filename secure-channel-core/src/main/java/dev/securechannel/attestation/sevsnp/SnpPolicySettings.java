package dev.securechannel.attestation.sevsnp;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The SEV-SNP policy settings a user writes, as the Spring properties
 * {@code secure-channel.attestation.sev-snp.*} and the command-line verifier's options carry
 * them: every setting is optional, and one left out keeps the value of the policy the settings
 * are applied to (the baseline, {@link SnpPolicy#production()} in both). This is the one place
 * that reads the pins' hex and maps each setting onto {@link SnpPolicy.Builder}; the ranges are
 * the builder's.
 *
 * <p>Each setting has a stable key, the name both front-ends give it: {@code measurement},
 * {@code host-data}, {@code id-key-digest}, {@code author-key-digest}, {@code family-id},
 * {@code image-id} (the {@link SnpPolicy.Pin}s, hex), {@code minimum-tcb.bootloader},
 * {@code minimum-tcb.tee}, {@code minimum-tcb.snp}, {@code minimum-tcb.microcode},
 * {@code minimum-tcb.fmc}, {@code minimum-report-version}, {@code minimum-guest-svn},
 * {@code accepted-products}, {@code allow-debug}, {@code allow-migration-agent},
 * {@code required-vmpl}, {@code allow-any-vmpl}, {@code smt-allowed}, {@code single-socket},
 * {@code check-tcb-binding}, {@code allow-masked-chip-id}, {@code require-crl} and
 * {@code require-committed-tcb-equals-current}. A rejection names the setting as the caller's
 * {@code names} spells its key, so that it reads as the user wrote it
 * ({@code --host-data}, {@code secure-channel.attestation.sev-snp.host-data}).
 *
 * <p>Settings are taken as given and judged by {@link #rejections} and {@link #toPolicy}: a pin
 * is hex of its field's length (surrounding white space ignored, either case; blank is refused
 * rather than read as "no pin", so that an empty variable cannot silently drop a pin), and
 * {@code required-vmpl} together with {@code allow-any-vmpl=true} is a contradiction.
 *
 * @param pins                             hex by pinned report field; a field absent keeps the baseline's pin
 * @param minimumTcb                       minimum REPORTED_TCB SPL by component; a component absent keeps the baseline's
 * @param minimumReportVersion             lowest report VERSION accepted
 * @param minimumGuestSvn                  lowest GUEST_SVN accepted
 * @param acceptedProducts                 processor generations accepted
 * @param allowDebug                       whether guests whose POLICY.DEBUG is set are accepted
 * @param allowMigrationAgent              whether guests whose POLICY.MIGRATE_MA is set are accepted
 * @param requiredVmpl                     the VMPL the report must be requested at
 * @param allowAnyVmpl                     {@code true}: any VMPL is accepted; {@code false} keeps the baseline's requirement
 * @param smtAllowed                       the value POLICY.SMT must have
 * @param singleSocket                     the value POLICY.SINGLE_SOCKET must have
 * @param checkTcbBinding                  whether the VCEK/VLEK is bound to REPORTED_TCB and CHIP_ID
 * @param allowMaskedChipId                whether a VCEK report with an all-zero CHIP_ID is accepted
 * @param requireCrl                       whether a CRL must be available
 * @param requireCommittedTcbEqualsCurrent whether COMMITTED_TCB must equal CURRENT_TCB
 */
public record SnpPolicySettings(
        Map<SnpPolicy.Pin, String> pins,
        Map<TcbComponent, Integer> minimumTcb,
        @Nullable Integer minimumReportVersion,
        @Nullable Long minimumGuestSvn,
        @Nullable Set<SnpProduct> acceptedProducts,
        @Nullable Boolean allowDebug,
        @Nullable Boolean allowMigrationAgent,
        @Nullable Integer requiredVmpl,
        @Nullable Boolean allowAnyVmpl,
        @Nullable Boolean smtAllowed,
        @Nullable Boolean singleSocket,
        @Nullable Boolean checkTcbBinding,
        @Nullable Boolean allowMaskedChipId,
        @Nullable Boolean requireCrl,
        @Nullable Boolean requireCommittedTcbEqualsCurrent) {

    /** Copies the collections; a {@code null} value in a map counts as absent. */
    public SnpPolicySettings {
        pins = copy(SnpPolicy.Pin.class, pins);
        minimumTcb = copy(TcbComponent.class, minimumTcb);
        acceptedProducts = acceptedProducts == null ? null : Collections.unmodifiableSet(copy(acceptedProducts));
    }

    /** A builder with no setting given. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings refused, each named by {@code names} applied to its key; empty when
     * {@link #toPolicy} will succeed. Lets a caller report every mistake at once.
     *
     * @param names from a setting's key ({@code host-data}) to the name the user knows it by
     */
    public List<Rejection> rejections(UnaryOperator<String> names) {
        return applyTo(SnpPolicy.production().toBuilder(), names);
    }

    /**
     * The baseline with every given setting applied; a setting not given keeps the baseline's
     * value.
     *
     * @param names from a setting's key ({@code host-data}) to the name the user knows it by
     * @throws SnpPolicySettingException for the first setting refused, naming it by {@code names}
     */
    public SnpPolicy toPolicy(SnpPolicy baseline, UnaryOperator<String> names) {
        SnpPolicy.Builder policy = baseline.toBuilder();
        List<Rejection> rejections = applyTo(policy, names);
        if (!rejections.isEmpty()) {
            throw new SnpPolicySettingException(rejections.get(0));
        }
        return policy.build();
    }

    /** The key of a pin's setting: {@code host-data} for HOST_DATA. */
    static String key(SnpPolicy.Pin pin) {
        return pin.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The key of a TCB component's minimum: {@code minimum-tcb.bootloader} for BOOTLOADER. */
    static String key(TcbComponent component) {
        return "minimum-tcb." + component.name().toLowerCase(Locale.ROOT);
    }

    private List<Rejection> applyTo(SnpPolicy.Builder policy, UnaryOperator<String> names) {
        Application given = new Application(names);
        pins.forEach((pin, hex) -> given.apply(key(pin), hex, value -> policy.pin(pin, parsePin(pin, value))));
        minimumTcb.forEach((component, spl) -> given.apply(key(component), spl, value -> policy.minimumTcb(component, value)));
        given.apply("minimum-report-version", minimumReportVersion, policy::minimumReportVersion);
        given.apply("minimum-guest-svn", minimumGuestSvn, policy::minimumGuestSvn);
        given.apply("accepted-products", acceptedProducts, policy::acceptedProducts);
        given.apply("allow-debug", allowDebug, allow -> policy.rejectDebug(!allow));
        given.apply("allow-migration-agent", allowMigrationAgent, allow -> policy.rejectMigrationAgent(!allow));
        if (requiredVmpl != null && Boolean.TRUE.equals(allowAnyVmpl)) {
            given.reject("required-vmpl", requiredVmpl, "contradicts " + names.apply("allow-any-vmpl") + "=true; give only one of the two");
        } else {
            given.apply("required-vmpl", requiredVmpl, policy::requiredVmpl);
            given.apply("allow-any-vmpl", allowAnyVmpl, any -> {
                if (any) {
                    policy.anyVmpl();
                }
            });
        }
        given.apply("smt-allowed", smtAllowed, policy::requireSmtAllowed);
        given.apply("single-socket", singleSocket, policy::requireSingleSocket);
        given.apply("check-tcb-binding", checkTcbBinding, policy::checkTcbBinding);
        given.apply("allow-masked-chip-id", allowMaskedChipId, policy::allowMaskedChipId);
        given.apply("require-crl", requireCrl, policy::requireCrl);
        given.apply("require-committed-tcb-equals-current", requireCommittedTcbEqualsCurrent, policy::requireCommittedTcbEqualsCurrent);
        return given.rejections;
    }

    /**
     * A pin's bytes from its hex.
     *
     * @throws IllegalArgumentException saying what the value must be
     */
    private static byte[] parsePin(SnpPolicy.Pin pin, String hex) {
        String expected = "must be " + pin.length() + " bytes of hex (" + 2 * pin.length() + " hex digits)";
        String digits = hex.strip();
        if (digits.isEmpty()) {
            throw new IllegalArgumentException(expected + ", not empty (leave the setting out for no pin)");
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException notHex) {
            throw new IllegalArgumentException(expected + "; it is not hex", notHex);
        }
        if (bytes.length != pin.length()) {
            throw new IllegalArgumentException(expected + ", not " + bytes.length + " bytes");
        }
        return bytes;
    }

    private static <K extends Enum<K>, V> Map<K, V> copy(Class<K> keys, Map<K, V> map) {
        EnumMap<K, V> copied = new EnumMap<>(keys);
        map.forEach((key, value) -> {
            if (value != null) {
                copied.put(key, value);
            }
        });
        return Collections.unmodifiableMap(copied);
    }

    private static Set<SnpProduct> copy(Collection<SnpProduct> products) {
        // EnumSet.copyOf refuses an empty collection that is not an EnumSet; an empty one is kept, for the builder to refuse.
        EnumSet<SnpProduct> copied = EnumSet.noneOf(SnpProduct.class);
        copied.addAll(products);
        return copied;
    }

    /**
     * A setting refused: the name the user knows it by, the value given and what it must be
     * instead.
     *
     * @param setting the setting, as the caller's {@code names} spelled its key
     * @param value   the value given, as text
     * @param fix     what the value must be, or what to change
     */
    public record Rejection(String setting, String value, String fix) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** One line for people: {@code --host-data: 'abcd': must be 32 bytes of hex (64 hex digits), not 2 bytes}. */
        public String message() {
            return setting + ": '" + value + "': " + fix;
        }
    }

    /** Applies given settings one by one, collecting each refusal instead of stopping at the first. */
    private static final class Application {

        private final UnaryOperator<String> names;
        private final List<Rejection> rejections = new ArrayList<>();

        Application(UnaryOperator<String> names) {
            this.names = names;
        }

        /** Applies {@code value} unless it is {@code null} (not given); the builder refuses a value with an IllegalArgumentException. */
        <T> void apply(String key, @Nullable T value, Consumer<T> setting) {
            if (value == null) {
                return;
            }
            try {
                setting.accept(value);
            } catch (IllegalArgumentException refused) {
                reject(key, value, String.valueOf(refused.getMessage()));
            }
        }

        void reject(String key, Object value, String fix) {
            rejections.add(new Rejection(names.apply(key), String.valueOf(value), fix));
        }
    }

    /** Builds {@link SnpPolicySettings}; every setting starts not given, and {@code null} takes one back. Not thread-safe. */
    public static final class Builder {

        private final EnumMap<SnpPolicy.Pin, String> pins = new EnumMap<>(SnpPolicy.Pin.class);
        private final EnumMap<TcbComponent, Integer> minimumTcb = new EnumMap<>(TcbComponent.class);
        private @Nullable Integer minimumReportVersion;
        private @Nullable Long minimumGuestSvn;
        private @Nullable Set<SnpProduct> acceptedProducts;
        private @Nullable Boolean allowDebug;
        private @Nullable Boolean allowMigrationAgent;
        private @Nullable Integer requiredVmpl;
        private @Nullable Boolean allowAnyVmpl;
        private @Nullable Boolean smtAllowed;
        private @Nullable Boolean singleSocket;
        private @Nullable Boolean checkTcbBinding;
        private @Nullable Boolean allowMaskedChipId;
        private @Nullable Boolean requireCrl;
        private @Nullable Boolean requireCommittedTcbEqualsCurrent;

        private Builder() {
        }

        /** The hex {@code pin} must have (its key is {@code measurement}, {@code host-data}, ...). */
        public Builder pin(SnpPolicy.Pin pin, @Nullable String hex) {
            if (hex == null) {
                pins.remove(pin);
            } else {
                pins.put(pin, hex);
            }
            return this;
        }

        /** The minimum REPORTED_TCB SPL of {@code component} ({@code minimum-tcb.bootloader}, ...). */
        public Builder minimumTcb(TcbComponent component, @Nullable Integer spl) {
            if (spl == null) {
                minimumTcb.remove(component);
            } else {
                minimumTcb.put(component, spl);
            }
            return this;
        }

        /** {@code minimum-report-version}. */
        public Builder minimumReportVersion(@Nullable Integer version) {
            this.minimumReportVersion = version;
            return this;
        }

        /** {@code minimum-guest-svn}. */
        public Builder minimumGuestSvn(@Nullable Long svn) {
            this.minimumGuestSvn = svn;
            return this;
        }

        /** {@code accepted-products}. */
        public Builder acceptedProducts(@Nullable Collection<SnpProduct> products) {
            this.acceptedProducts = products == null ? null : copy(products);
            return this;
        }

        /** {@code allow-debug}. */
        public Builder allowDebug(@Nullable Boolean allow) {
            this.allowDebug = allow;
            return this;
        }

        /** {@code allow-migration-agent}. */
        public Builder allowMigrationAgent(@Nullable Boolean allow) {
            this.allowMigrationAgent = allow;
            return this;
        }

        /** {@code required-vmpl}. */
        public Builder requiredVmpl(@Nullable Integer vmpl) {
            this.requiredVmpl = vmpl;
            return this;
        }

        /** {@code allow-any-vmpl}. */
        public Builder allowAnyVmpl(@Nullable Boolean allow) {
            this.allowAnyVmpl = allow;
            return this;
        }

        /** {@code smt-allowed}. */
        public Builder smtAllowed(@Nullable Boolean smtAllowed) {
            this.smtAllowed = smtAllowed;
            return this;
        }

        /** {@code single-socket}. */
        public Builder singleSocket(@Nullable Boolean singleSocket) {
            this.singleSocket = singleSocket;
            return this;
        }

        /** {@code check-tcb-binding}. */
        public Builder checkTcbBinding(@Nullable Boolean check) {
            this.checkTcbBinding = check;
            return this;
        }

        /** {@code allow-masked-chip-id}. */
        public Builder allowMaskedChipId(@Nullable Boolean allow) {
            this.allowMaskedChipId = allow;
            return this;
        }

        /** {@code require-crl}. */
        public Builder requireCrl(@Nullable Boolean require) {
            this.requireCrl = require;
            return this;
        }

        /** {@code require-committed-tcb-equals-current}. */
        public Builder requireCommittedTcbEqualsCurrent(@Nullable Boolean require) {
            this.requireCommittedTcbEqualsCurrent = require;
            return this;
        }

        /** The settings. */
        public SnpPolicySettings build() {
            return new SnpPolicySettings(pins, minimumTcb, minimumReportVersion, minimumGuestSvn, acceptedProducts, allowDebug,
                    allowMigrationAgent, requiredVmpl, allowAnyVmpl, smtAllowed, singleSocket, checkTcbBinding, allowMaskedChipId,
                    requireCrl, requireCommittedTcbEqualsCurrent);
        }
    }
}
