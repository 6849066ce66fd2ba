package dev.securechannel.attestation.sevsnp;

import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * A TCB_VERSION: eight bytes of security patch levels whose layout depends on the product
 * (SEV-SNP.md 2.5). Milan and Genoa: byte 0 boot loader, 1 TEE, 6 SNP, 7 microcode. Turin:
 * byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode.
 *
 * @param value  the eight bytes read as an unsigned little-endian u64, as AMD and Azure print it
 *               (the Milan TCB {@code 03 00 00 00 00 00 08 73} is {@code 0x7308000000000003})
 * @param layout how the bytes are assigned to components
 */
public record TcbVersion(long value, Layout layout) {

    /** The byte layout of a TCB_VERSION. */
    public enum Layout {
        /** Milan and Genoa (family 19h). */
        MILAN_GENOA,
        /** Turin (family 1Ah): adds FMC and moves the other SPLs. */
        TURIN
    }

    /** Size of a TCB_VERSION in a report. */
    public static final int LENGTH = 8;

    /** Reads the eight bytes as found in a report. */
    public static TcbVersion of(byte[] raw, Layout layout) {
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("a TCB_VERSION has 8 bytes, not " + raw.length);
        }
        long value = 0;
        for (int i = LENGTH - 1; i >= 0; i--) {
            value = (value << 8) | (raw[i] & 0xFF);
        }
        return new TcbVersion(value, layout);
    }

    /** A Milan/Genoa TCB from its components (each 0–255). */
    public static TcbVersion milanGenoa(int bootloader, int tee, int snp, int microcode) {
        byte[] raw = new byte[LENGTH];
        raw[0] = spl(bootloader);
        raw[1] = spl(tee);
        raw[6] = spl(snp);
        raw[7] = spl(microcode);
        return of(raw, Layout.MILAN_GENOA);
    }

    /** A Turin TCB from its components (each 0–255). */
    public static TcbVersion turin(int fmc, int bootloader, int tee, int snp, int microcode) {
        byte[] raw = new byte[LENGTH];
        raw[0] = spl(fmc);
        raw[1] = spl(bootloader);
        raw[2] = spl(tee);
        raw[3] = spl(snp);
        raw[7] = spl(microcode);
        return of(raw, Layout.TURIN);
    }

    /** The same eight bytes read with another layout (once the product is known). */
    public TcbVersion withLayout(Layout newLayout) {
        return new TcbVersion(value, newLayout);
    }

    /** The eight bytes as they appear in a report. */
    public byte[] raw() {
        byte[] raw = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            raw[i] = (byte) (value >>> (8 * i));
        }
        return raw;
    }

    /** The boot loader SPL. */
    public int bootloader() {
        return byteAt(layout == Layout.TURIN ? 1 : 0);
    }

    /** The TEE (PSP OS) SPL. */
    public int tee() {
        return byteAt(layout == Layout.TURIN ? 2 : 1);
    }

    /** The SNP firmware SPL. */
    public int snp() {
        return byteAt(layout == Layout.TURIN ? 3 : 6);
    }

    /** The microcode SPL. */
    public int microcode() {
        return byteAt(7);
    }

    /** The FMC SPL; present only in the Turin layout. */
    public OptionalInt fmc() {
        return layout == Layout.TURIN ? OptionalInt.of(byteAt(0)) : OptionalInt.empty();
    }

    /** One component; empty for FMC outside the Turin layout. */
    public OptionalInt component(TcbComponent component) {
        return switch (component) {
            case BOOTLOADER -> OptionalInt.of(bootloader());
            case TEE -> OptionalInt.of(tee());
            case SNP -> OptionalInt.of(snp());
            case MICROCODE -> OptionalInt.of(microcode());
            case FMC -> fmc();
        };
    }

    /**
     * Whether every component is at least the other's (the order AMD defines on TCBs: a
     * component-wise comparison, not a numeric one of the u64).
     *
     * @throws IllegalArgumentException if the layouts differ, which makes the comparison meaningless
     */
    public boolean isAtLeast(TcbVersion other) {
        if (layout != other.layout) {
            throw new IllegalArgumentException("cannot compare a " + layout + " TCB with a " + other.layout + " TCB");
        }
        for (TcbComponent component : TcbComponent.values()) {
            OptionalInt mine = component(component);
            OptionalInt theirs = other.component(component);
            if (mine.isPresent() && mine.getAsInt() < theirs.getAsInt()) {
                return false;
            }
        }
        return true;
    }

    /** The eight bytes in report order as lower-case hex ({@code 0300000000000873}). */
    public String hex() {
        return HexFormat.of().formatHex(raw());
    }

    @Override
    public String toString() {
        String fmc = fmc().isPresent() ? "fmc=" + fmc().getAsInt() + ", " : "";
        return "TcbVersion[" + fmc + "bl=" + bootloader() + ", tee=" + tee() + ", snp=" + snp()
                + ", ucode=" + microcode() + ", raw=" + hex() + "]";
    }

    private int byteAt(int index) {
        return (int) (value >>> (8 * index)) & 0xFF;
    }

    private static byte spl(int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("an SPL is 0..255, not " + value);
        }
        return (byte) value;
    }
}
