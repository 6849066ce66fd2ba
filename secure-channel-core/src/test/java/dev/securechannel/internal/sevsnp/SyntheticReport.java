package dev.securechannel.internal.sevsnp;

import dev.securechannel.attestation.sevsnp.SnpProduct;
import dev.securechannel.attestation.sevsnp.TcbVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;

/**
 * Builds attestation report bytes field by field at the offsets of SEV-SNP.md 2.1. Starts from
 * a well-formed version 3 Milan report: VMPL 0, POLICY 0x30000 (SMT, reserved bit 17),
 * SIGNATURE_ALGO 1, VCEK, REPORT_ID_MA all 0xFF, a non-zero CHIP_ID and equal TCBs.
 */
public final class SyntheticReport {

    public static final TcbVersion MILAN_TCB = TcbVersion.milanGenoa(4, 0, 24, 219);
    public static final byte[] CHIP_ID = chipId();

    private final ByteBuffer bytes = ByteBuffer.allocate(SnpReport.LENGTH).order(ByteOrder.LITTLE_ENDIAN);

    public SyntheticReport() {
        version(3);
        policy(0x30000);
        bytes.putInt(0x034, 1);
        cpuid(0x19, 0x01, 0x01);
        Arrays.fill(bytes.array(), 0x160, 0x180, (byte) 0xFF);
        chipId(CHIP_ID);
        allTcbs(MILAN_TCB);
        bytes.put(0x1E8, (byte) 29).put(0x1E9, (byte) 55).put(0x1EA, (byte) 1);
        bytes.put(0x1EC, (byte) 29).put(0x1ED, (byte) 55).put(0x1EE, (byte) 1);
    }

    /** A report for {@code product}: its CPUID and a TCB in its layout. */
    public static SyntheticReport forProduct(SnpProduct product) {
        SyntheticReport report = new SyntheticReport();
        switch (product) {
            case MILAN -> report.cpuid(0x19, 0x01, 0x01);
            case GENOA -> report.cpuid(0x19, 0x11, 0x01).allTcbs(TcbVersion.milanGenoa(10, 0, 25, 84));
            case TURIN -> report.cpuid(0x1A, 0x02, 0x00).allTcbs(TcbVersion.turin(3, 1, 0, 2, 71))
                    .chipId(Arrays.copyOf(CHIP_ID, 8));
        }
        return report;
    }

    public SyntheticReport version(int version) {
        bytes.putInt(0x000, version);
        if (version < 3) {
            cpuid(0, 0, 0);
        }
        return this;
    }

    public SyntheticReport guestSvn(int svn) {
        bytes.putInt(0x004, svn);
        return this;
    }

    public SyntheticReport policy(long policy) {
        bytes.putLong(0x008, policy);
        return this;
    }

    public SyntheticReport familyId(byte[] id) {
        return put(0x010, id, 16);
    }

    public SyntheticReport imageId(byte[] id) {
        return put(0x020, id, 16);
    }

    public SyntheticReport vmpl(int vmpl) {
        bytes.putInt(0x030, vmpl);
        return this;
    }

    public SyntheticReport signatureAlgorithm(int algorithm) {
        bytes.putInt(0x034, algorithm);
        return this;
    }

    public SyntheticReport currentTcb(TcbVersion tcb) {
        bytes.putLong(0x038, tcb.value());
        return this;
    }

    public SyntheticReport platformInfo(long info) {
        bytes.putLong(0x040, info);
        return this;
    }

    public SyntheticReport keyInfo(int keyInfo) {
        bytes.putInt(0x048, keyInfo);
        return this;
    }

    public SyntheticReport signedByVlek() {
        return keyInfo(VekKind.VLEK.signingKeySelector() << 2);
    }

    public SyntheticReport reportData(byte[] data) {
        return put(0x050, data, 64);
    }

    public SyntheticReport measurement(byte[] measurement) {
        return put(0x090, measurement, 48);
    }

    public SyntheticReport hostData(byte[] hostData) {
        return put(0x0C0, hostData, 32);
    }

    public SyntheticReport idKeyDigest(byte[] digest) {
        return put(0x0E0, digest, 48);
    }

    public SyntheticReport authorKeyDigest(byte[] digest) {
        return put(0x110, digest, 48);
    }

    public SyntheticReport reportedTcb(TcbVersion tcb) {
        bytes.putLong(0x180, tcb.value());
        return this;
    }

    public SyntheticReport cpuid(int family, int model, int stepping) {
        bytes.put(0x188, (byte) family).put(0x189, (byte) model).put(0x18A, (byte) stepping);
        return this;
    }

    public SyntheticReport chipId(byte[] chipId) {
        Arrays.fill(bytes.array(), 0x1A0, 0x1E0, (byte) 0);
        return put(0x1A0, chipId, chipId.length);
    }

    public SyntheticReport committedTcb(TcbVersion tcb) {
        bytes.putLong(0x1E0, tcb.value());
        return this;
    }

    public SyntheticReport launchTcb(TcbVersion tcb) {
        bytes.putLong(0x1F0, tcb.value());
        return this;
    }

    public SyntheticReport allTcbs(TcbVersion tcb) {
        return currentTcb(tcb).reportedTcb(tcb).committedTcb(tcb).launchTcb(tcb);
    }

    public SyntheticReport set(int offset, int value) {
        bytes.put(offset, (byte) value);
        return this;
    }

    /** The unsigned bytes. */
    public byte[] bytes() {
        return bytes.array().clone();
    }

    /** The bytes signed with {@code vekKey}. */
    public byte[] signedWith(PrivateKey vekKey) {
        return SyntheticAmdPki.sign(bytes(), vekKey);
    }

    public SnpReport parse() {
        return SnpReport.parse(bytes());
    }

    private SyntheticReport put(int offset, byte[] value, int length) {
        if (value.length > length) {
            throw new IllegalArgumentException("field is " + length + " bytes");
        }
        System.arraycopy(value, 0, bytes.array(), offset, value.length);
        return this;
    }

    private static byte[] chipId() {
        byte[] id = new byte[64];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (0xA0 + i);
        }
        return id;
    }

    /** An HCL report around {@code claims}, laid out as the paravisor writes it. */
    public static byte[] hcl(String claims) {
        return hcl(claims.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hcl(byte[] claims) {
        ByteBuffer buffer = ByteBuffer.allocate(HclReport.CLAIMS_OFFSET + claims.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put("HCLA".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(HclReport.CLAIMS_OFFSET + claims.length).putInt(2).putInt(0);
        buffer.position(HclReport.SNP_REPORT_OFFSET);
        buffer.put(new SyntheticReport().bytes());
        buffer.putInt(20 + claims.length).putInt(1).putInt(2).putInt(1).putInt(claims.length).put(claims);
        return buffer.array();
    }
}
