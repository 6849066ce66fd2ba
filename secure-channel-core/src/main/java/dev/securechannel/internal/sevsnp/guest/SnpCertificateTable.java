package dev.securechannel.internal.sevsnp.guest;

import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The certificate table a host attaches to an extended SNP report (configfs-tsm {@code auxblob},
 * GHCB specification {@code cert_table}; SEV-SNP.md section 3.5): 24-byte entries
 * {@code GUID(16) | offset u32 LE | length u32 LE} ended by an all-zero entry, offsets counted
 * from the start of the table. GUIDs are stored in RFC 4122 byte order.
 *
 * <p>Parsing checks every bound: the terminator must be present, every entry's data must lie
 * after the entry array and inside the buffer, and each AMD certificate must be one DER
 * certificate (trailing zero padding is tolerated, anything else is not). Entries with other
 * GUIDs are kept but are never returned as certificates, since a non-certificate blob breaks the
 * Rust reference's DER splitter (section 6.3). Immutable and thread-safe.
 */
public final class SnpCertificateTable {

    /** What a table entry holds, by its GUID. */
    public enum EntryKind {
        /** AMD Root Key certificate. */
        ARK("c0b406a4-a803-4952-9743-3fb6014cd0ae"),
        /** AMD SEV Key (or the VLEK signing key ASVK) certificate. */
        ASK("4ab7b379-bbac-4fe4-a02f-05aef327c782"),
        /** Versioned Chip Endorsement Key certificate. */
        VCEK("63da758d-e664-4564-adc5-f4b93be8accd"),
        /** Versioned Loaded Endorsement Key certificate. */
        VLEK("a8074bc2-a25a-483e-aae6-39c045a0b8a1"),
        /** Anything else, for example go-sev-guest's extra platform info; never a certificate here. */
        OTHER(null);

        private final UUID guid;

        EntryKind(@Nullable String guid) {
            this.guid = guid == null ? new UUID(0, 0) : UUID.fromString(guid);
        }

        /** The entry GUID of this kind ({@code 00000000-...} for {@link #OTHER}). */
        public UUID guid() {
            return guid;
        }

        /** The kind an entry GUID denotes. */
        public static EntryKind of(UUID guid) {
            for (EntryKind kind : values()) {
                if (kind != OTHER && kind.guid.equals(guid)) {
                    return kind;
                }
            }
            return OTHER;
        }

        boolean isCertificate() {
            return this != OTHER;
        }
    }

    /**
     * One entry of the table.
     *
     * @param guid the entry's GUID
     * @param data the bytes the entry points at (a DER certificate for the AMD kinds)
     */
    public record Entry(UUID guid, byte[] data) {

        public Entry {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** What the GUID says this entry holds. */
        public EntryKind kind() {
            return EntryKind.of(guid);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Entry that && guid.equals(that.guid) && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return 31 * guid.hashCode() + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Entry[" + kind() + " " + guid + ", " + data.length + " bytes]";
        }
    }

    private static final int ENTRY_SIZE = 24;
    /** Far more than the four AMD certificates and a few extras; bounds the work on hostile input. */
    private static final int MAX_ENTRIES = 64;

    private static final SnpCertificateTable EMPTY = new SnpCertificateTable(List.of(), List.of());

    private final List<Entry> entries;
    private final List<X509Certificate> certificates;

    private SnpCertificateTable(List<Entry> entries, List<X509Certificate> certificates) {
        this.entries = List.copyOf(entries);
        this.certificates = List.copyOf(certificates);
    }

    /** A table without entries: the host supplied no certificates. */
    public static SnpCertificateTable empty() {
        return EMPTY;
    }

    /**
     * Parses a certificate table; an empty buffer is an empty table.
     *
     * @throws SnpEvidenceException {@link SnpEvidenceFailure#MALFORMED_CERTIFICATE_TABLE} for
     *                              any bound violation, entries whose data overlap, a duplicate
     *                              AMD certificate kind or a certificate that does not parse
     */
    public static SnpCertificateTable parse(byte[] table) {
        if (table.length == 0) {
            return EMPTY;
        }
        ByteBuffer in = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        List<UUID> guids = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        while (true) {
            if (in.remaining() < ENTRY_SIZE) {
                throw malformed("no all-zero terminator entry within " + table.length + " bytes");
            }
            long mostSignificant = in.order(ByteOrder.BIG_ENDIAN).getLong();
            long leastSignificant = in.getLong();
            long offset = Integer.toUnsignedLong(in.order(ByteOrder.LITTLE_ENDIAN).getInt());
            long length = Integer.toUnsignedLong(in.getInt());
            if (mostSignificant == 0 && leastSignificant == 0 && offset == 0 && length == 0) {
                break;
            }
            if (guids.size() == MAX_ENTRIES) {
                throw malformed("more than " + MAX_ENTRIES + " entries");
            }
            guids.add(new UUID(mostSignificant, leastSignificant));
            ranges.add(new long[] {offset, length});
        }
        long entriesEnd = in.position();
        List<Entry> entries = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        Set<EntryKind> seen = EnumSet.noneOf(EntryKind.class);
        for (int i = 0; i < guids.size(); i++) {
            long offset = ranges.get(i)[0];
            long length = ranges.get(i)[1];
            UUID guid = guids.get(i);
            if (offset < entriesEnd || offset + length > table.length) {
                throw malformed("entry " + i + " (" + guid + ") points at [" + offset + ", " + (offset + length)
                        + ") outside the data area [" + entriesEnd + ", " + table.length + ")");
            }
            // Every blob is a separate certificate: entries sharing bytes would let up to 64 copies of
            // one region be made from a table, so the parse would no longer be bounded by what arrived.
            for (int j = 0; j < i; j++) {
                long otherOffset = ranges.get(j)[0];
                long otherEnd = otherOffset + ranges.get(j)[1];
                if (length > 0 && otherEnd > otherOffset && offset < otherEnd && otherOffset < offset + length) {
                    throw malformed("entry " + i + " (" + guid + ") overlaps entry " + j);
                }
            }
            byte[] data = Arrays.copyOfRange(table, (int) offset, (int) (offset + length));
            Entry entry = new Entry(guid, data);
            EntryKind kind = entry.kind();
            if (kind.isCertificate()) {
                if (!seen.add(kind)) {
                    throw malformed("two " + kind + " entries");
                }
                certificates.add(certificate(kind, data));
            }
            entries.add(entry);
        }
        return new SnpCertificateTable(entries, certificates);
    }

    /** Every entry in table order, certificates and others. */
    public List<Entry> entries() {
        return entries;
    }

    /** The AMD certificates (ARK, ASK/ASVK, VCEK, VLEK) in table order, without other entries. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** Whether there are no entries at all. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Whether the table holds a whole chain a verifier can check: a VCEK or VLEK, the ASK/ASVK
     * and the ARK.
     */
    public boolean hasCompleteChain() {
        Set<EntryKind> kinds = EnumSet.noneOf(EntryKind.class);
        entries.forEach(entry -> kinds.add(entry.kind()));
        return kinds.contains(EntryKind.ARK) && kinds.contains(EntryKind.ASK)
                && (kinds.contains(EntryKind.VCEK) || kinds.contains(EntryKind.VLEK));
    }

    private static X509Certificate certificate(EntryKind kind, byte[] data) {
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(data));
        } catch (CertificateException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_CERTIFICATE_TABLE, kind + " entry is not a DER certificate", e);
        }
        int encodedLength;
        try {
            encodedLength = certificate.getEncoded().length;
        } catch (CertificateException e) {
            throw new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_CERTIFICATE_TABLE, kind + " entry cannot be re-encoded", e);
        }
        // Hosts may pad an entry to an alignment; any non-zero byte after the DER means the
        // entry is not what its GUID claims.
        for (int i = encodedLength; i < data.length; i++) {
            if (data[i] != 0) {
                throw malformed(kind + " entry has " + (data.length - encodedLength) + " bytes after its certificate");
            }
        }
        return certificate;
    }

    private static SnpEvidenceException malformed(String detail) {
        return new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_CERTIFICATE_TABLE, detail);
    }

    @Override
    public String toString() {
        return "SnpCertificateTable" + entries;
    }
}
