package dev.securechannel.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The size class tag of a payload length: 2 KiB, 8 KiB and 512 KiB are inclusive upper bounds. */
class PayloadSizeClassTest {

    @Test
    void twoKibibytesAndLessAreSmall() {
        assertThat(PayloadSizeClass.of(0)).isEqualTo(PayloadSizeClass.UP_TO_2_KIB);
        assertThat(PayloadSizeClass.of(2048)).isEqualTo(PayloadSizeClass.UP_TO_2_KIB);
    }

    @Test
    void eachBoundaryIsInclusive() {
        assertThat(PayloadSizeClass.of(2049)).isEqualTo(PayloadSizeClass.UP_TO_8_KIB);
        assertThat(PayloadSizeClass.of(8192)).isEqualTo(PayloadSizeClass.UP_TO_8_KIB);
        assertThat(PayloadSizeClass.of(8193)).isEqualTo(PayloadSizeClass.UP_TO_512_KIB);
        assertThat(PayloadSizeClass.of(512 * 1024)).isEqualTo(PayloadSizeClass.UP_TO_512_KIB);
        assertThat(PayloadSizeClass.of(512 * 1024 + 1)).isEqualTo(PayloadSizeClass.LARGER);
    }

    @Test
    void tagValuesAreBoundedAndReadable() {
        assertThat(PayloadSizeClass.values()).extracting(PayloadSizeClass::tagValue)
                .containsExactly("le-2KiB", "le-8KiB", "le-512KiB", "gt-512KiB");
    }
}
