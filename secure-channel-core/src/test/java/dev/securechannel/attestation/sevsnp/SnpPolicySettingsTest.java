package dev.securechannel.attestation.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.ConfigurationProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The settings both front-ends hand to the core: each reaches its policy value, a setting not
 * given keeps the baseline's, and a refused one is named as the caller names it, with its value
 * and what it must be.
 */
class SnpPolicySettingsTest {

    /** Names settings as the command line does, so that the tests read like its messages. */
    private static final UnaryOperator<String> OPTIONS = key -> "--" + key;

    private static SnpPolicy policy(SnpPolicySettings.Builder settings) {
        return settings.build().toPolicy(SnpPolicy.production(), OPTIONS);
    }

    private static List<SnpPolicySettings.Rejection> rejections(SnpPolicySettings.Builder settings) {
        return settings.build().rejections(OPTIONS);
    }

    @Test
    @DisplayName("no setting given: the baseline, whichever it is")
    void nothingGivenKeepsTheBaseline() {
        SnpPolicySettings none = SnpPolicySettings.builder().build();
        SnpPolicy pinned = SnpPolicy.development().toBuilder().expectedHostData(filled(32, 7)).minimumTcb(TcbComponent.SNP, 9)
                .acceptedProducts(SnpProduct.TURIN).minimumGuestSvn(3).requireSmtAllowed(true).build();

        assertThat(none.toPolicy(SnpPolicy.production(), OPTIONS)).hasToString(SnpPolicy.production().toString());
        assertThat(none.toPolicy(SnpPolicy.development(), OPTIONS)).hasToString(SnpPolicy.development().toString());
        SnpPolicy kept = none.toPolicy(pinned, OPTIONS);
        assertThat(kept).hasToString(pinned.toString());
        assertThat(kept.expectedHostData()).hasValueSatisfying(pin -> assertThat(pin).containsOnly(7));
        assertThat(none.rejections(OPTIONS)).isEmpty();
    }

    @Test
    @DisplayName("a setting given overrides only its own value of the baseline")
    void aSettingGivenOverridesOnlyItsValue() {
        SnpPolicy baseline = SnpPolicy.production().toBuilder().minimumTcb(TcbComponent.TEE, 2).expectedFamilyId(filled(16, 1)).build();

        SnpPolicy policy = SnpPolicySettings.builder().minimumTcb(TcbComponent.SNP, 8).pin(SnpPolicy.Pin.IMAGE_ID, "02".repeat(16))
                .build().toPolicy(baseline, OPTIONS);

        assertThat(policy.minimumTcb()).isEqualTo(Map.of(TcbComponent.TEE, 2, TcbComponent.SNP, 8));
        assertThat(policy.expectedFamilyId()).isPresent();
        assertThat(policy.expectedImageId()).hasValueSatisfying(pin -> assertThat(pin).containsOnly(2));
    }

    @Test
    @DisplayName("every setting reaches the policy")
    void everySettingReachesThePolicy() {
        SnpPolicySettings.Builder settings = SnpPolicySettings.builder();
        for (SnpPolicy.Pin pin : SnpPolicy.Pin.values()) {
            settings.pin(pin, String.format("%02x", pin.ordinal() + 1).repeat(pin.length()));
        }
        for (TcbComponent component : TcbComponent.values()) {
            settings.minimumTcb(component, component.ordinal() + 10);
        }
        SnpPolicy policy = policy(settings.minimumReportVersion(3).minimumGuestSvn(4294967295L)
                .acceptedProducts(List.of(SnpProduct.GENOA, SnpProduct.TURIN)).allowDebug(true).allowMigrationAgent(true)
                .requiredVmpl(2).smtAllowed(false).singleSocket(true).checkTcbBinding(false).allowMaskedChipId(true)
                .requireCrl(true).requireCommittedTcbEqualsCurrent(true));

        for (SnpPolicy.Pin pin : SnpPolicy.Pin.values()) {
            assertThat(policy.pin(pin)).as(pin.name()).hasValueSatisfying(value -> assertThat(value).containsOnly(pin.ordinal() + 1));
        }
        assertThat(policy.minimumTcb()).isEqualTo(Map.of(TcbComponent.BOOTLOADER, 10, TcbComponent.TEE, 11, TcbComponent.SNP, 12,
                TcbComponent.MICROCODE, 13, TcbComponent.FMC, 14));
        assertThat(policy.minimumReportVersion()).isEqualTo(3);
        assertThat(policy.minimumGuestSvn()).isEqualTo(4294967295L);
        assertThat(policy.acceptedProducts()).isEqualTo(Set.of(SnpProduct.GENOA, SnpProduct.TURIN));
        assertThat(policy.rejectDebug()).isFalse();
        assertThat(policy.rejectMigrationAgent()).isFalse();
        assertThat(policy.requiredVmpl()).hasValue(2);
        assertThat(policy.requiredSmtAllowed()).hasValue(false);
        assertThat(policy.requiredSingleSocket()).hasValue(true);
        assertThat(policy.checkTcbBinding()).isFalse();
        assertThat(policy.allowMaskedChipId()).isTrue();
        assertThat(policy.requireCrl()).isTrue();
        assertThat(policy.requireCommittedTcbEqualsCurrent()).isTrue();
    }

    @Test
    @DisplayName("a boolean given as false is applied, not read as absent: it restores what a relaxed baseline dropped")
    void falseIsAValue() {
        SnpPolicy policy = SnpPolicySettings.builder().allowDebug(false).allowMigrationAgent(false).checkTcbBinding(true).build()
                .toPolicy(SnpPolicy.development(), OPTIONS);

        assertThat(policy.rejectDebug()).isTrue();
        assertThat(policy.rejectMigrationAgent()).isTrue();
        assertThat(policy.checkTcbBinding()).isTrue();
    }

    @Test
    @DisplayName("pins are hex in either case; white space around them is ignored")
    void pinsAreHexInEitherCase() {
        String measurement = "0A".repeat(47) + "bc";

        SnpPolicy policy = policy(SnpPolicySettings.builder().pin(SnpPolicy.Pin.MEASUREMENT, " " + measurement + "\n")
                .pin(SnpPolicy.Pin.HOST_DATA, "Ff".repeat(32)));

        assertThat(policy.expectedMeasurement()).hasValueSatisfying(pin -> assertThat(pin).isEqualTo(HexFormat.of().parseHex(measurement.toLowerCase(Locale.ROOT))));
        assertThat(policy.expectedHostData()).hasValueSatisfying(pin -> assertThat(pin).containsOnly(0xff));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SnpPolicy.Pin.class)
    @DisplayName("a pin of the wrong length, not hex, or blank is refused under its key, with the length it must have")
    void aBadPinIsRefusedUnderItsKey(SnpPolicy.Pin pin) {
        String option = "--" + pin.name().toLowerCase(Locale.ROOT).replace('_', '-');
        String expected = "must be " + pin.length() + " bytes of hex (" + 2 * pin.length() + " hex digits)";

        assertThat(rejections(SnpPolicySettings.builder().pin(pin, "abcd")))
                .containsExactly(new SnpPolicySettings.Rejection(option, "abcd", expected + ", not 2 bytes"));
        assertThat(rejections(SnpPolicySettings.builder().pin(pin, "zz".repeat(pin.length()))))
                .containsExactly(new SnpPolicySettings.Rejection(option, "zz".repeat(pin.length()), expected + "; it is not hex"));
        assertThat(rejections(SnpPolicySettings.builder().pin(pin, "abc")))
                .extracting(SnpPolicySettings.Rejection::fix).containsExactly(expected + "; it is not hex");
        assertThat(rejections(SnpPolicySettings.builder().pin(pin, " ")))
                .extracting(SnpPolicySettings.Rejection::fix).containsExactly(expected + ", not empty (leave the setting out for no pin)");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TcbComponent.class)
    @DisplayName("a minimum SPL above 255 is refused under minimum-tcb.<component>")
    void anSplOutOfRangeIsRefusedUnderItsKey(TcbComponent component) {
        assertThat(rejections(SnpPolicySettings.builder().minimumTcb(component, 256))).containsExactly(new SnpPolicySettings.Rejection(
                "--minimum-tcb." + component.name().toLowerCase(Locale.ROOT), "256", "an SPL must be 0..255, not 256"));
    }

    @Test
    @DisplayName("numbers out of the builder's ranges and an empty product list are refused with the builder's reason")
    void rangesAreTheBuilders() {
        assertThat(rejections(SnpPolicySettings.builder().minimumReportVersion(6).minimumGuestSvn(-1L).requiredVmpl(4)
                .acceptedProducts(List.of()))).containsExactly(
                new SnpPolicySettings.Rejection("--minimum-report-version", "6", "the report version must be 2..5, not 6"),
                new SnpPolicySettings.Rejection("--minimum-guest-svn", "-1", "GUEST_SVN must be 0..4294967295 (unsigned 32-bit), not -1"),
                new SnpPolicySettings.Rejection("--accepted-products", "[]", "at least one product must be accepted, of [MILAN, GENOA, TURIN]"),
                new SnpPolicySettings.Rejection("--required-vmpl", "4", "VMPL must be 0..3, not 4"));
    }

    @Test
    @DisplayName("required-vmpl with allow-any-vmpl=true contradict, named as the caller names both")
    void requiredVmplAndAnyVmplContradict() {
        List<SnpPolicySettings.Rejection> rejections = SnpPolicySettings.builder().requiredVmpl(1).allowAnyVmpl(true).build()
                .rejections(key -> "secure-channel.attestation.sev-snp." + key);

        assertThat(rejections).containsExactly(new SnpPolicySettings.Rejection("secure-channel.attestation.sev-snp.required-vmpl", "1",
                "contradicts secure-channel.attestation.sev-snp.allow-any-vmpl=true; give only one of the two"));
        assertThat(policy(SnpPolicySettings.builder().requiredVmpl(1).allowAnyVmpl(false)).requiredVmpl()).hasValue(1);
    }

    @Test
    @DisplayName("allow-any-vmpl: true releases the VMPL; false keeps the baseline's requirement, whatever it is")
    void allowAnyVmpl() {
        assertThat(policy(SnpPolicySettings.builder().allowAnyVmpl(true)).requiredVmpl()).isEmpty();
        assertThat(policy(SnpPolicySettings.builder().allowAnyVmpl(false)).requiredVmpl()).hasValue(0);
        SnpPolicy vmplTwo = SnpPolicy.production().toBuilder().requiredVmpl(2).build();
        assertThat(SnpPolicySettings.builder().allowAnyVmpl(false).build().toPolicy(vmplTwo, OPTIONS).requiredVmpl()).hasValue(2);
    }

    @Test
    @DisplayName("every refused setting is listed, in a fixed order; toPolicy throws a configuration exception for the first")
    void toPolicyThrowsForTheFirstRefusal() {
        SnpPolicySettings settings = SnpPolicySettings.builder().minimumTcb(TcbComponent.SNP, -1).pin(SnpPolicy.Pin.HOST_DATA, "00")
                .requiredVmpl(9).build();

        assertThat(settings.rejections(OPTIONS)).extracting(SnpPolicySettings.Rejection::setting)
                .containsExactly("--host-data", "--minimum-tcb.snp", "--required-vmpl");
        assertThatThrownBy(() -> settings.toPolicy(SnpPolicy.production(), OPTIONS))
                .isInstanceOfSatisfying(SnpPolicySettingException.class, refused -> {
                    assertThat(refused.problem()).isEqualTo(ConfigurationProblem.SEV_SNP_POLICY_INVALID);
                    assertThat(refused.setting()).isEqualTo("--host-data");
                    assertThat(refused.value()).isEqualTo("00");
                    assertThat(refused.fix()).isEqualTo("must be 32 bytes of hex (64 hex digits), not 1 bytes");
                    assertThat(refused.rejection().message())
                            .isEqualTo("--host-data: '00': must be 32 bytes of hex (64 hex digits), not 1 bytes");
                    assertThat(refused).hasMessageEndingWith(refused.rejection().message());
                });
    }

    @Test
    @DisplayName("the settings are a value: they copy what they are given, and null map entries count as absent")
    void theSettingsAreAValue() {
        List<SnpProduct> products = new ArrayList<>(List.of(SnpProduct.MILAN));
        SnpPolicySettings.Builder builder = SnpPolicySettings.builder().acceptedProducts(products).pin(SnpPolicy.Pin.FAMILY_ID, "00".repeat(16));
        SnpPolicySettings settings = builder.build();
        products.add(SnpProduct.GENOA);
        builder.pin(SnpPolicy.Pin.FAMILY_ID, null);

        assertThat(settings.acceptedProducts()).isEqualTo(EnumSet.of(SnpProduct.MILAN));
        assertThat(settings.pins()).containsOnlyKeys(SnpPolicy.Pin.FAMILY_ID);
        assertThat(builder.build().pins()).isEmpty();
        assertThat(settings).isEqualTo(SnpPolicySettings.builder().acceptedProducts(Set.of(SnpProduct.MILAN))
                .pin(SnpPolicy.Pin.FAMILY_ID, "00".repeat(16)).build());
        Map<TcbComponent, Integer> withNull = new HashMap<>();
        withNull.put(TcbComponent.TEE, null);
        assertThat(new SnpPolicySettings(Map.of(), withNull, null, null, null, null, null, null, null, null, null, null, null, null, null)
                .minimumTcb()).isEmpty();
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
