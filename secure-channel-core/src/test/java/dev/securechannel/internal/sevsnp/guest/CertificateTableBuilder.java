package dev.securechannel.internal.sevsnp.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a GHCB certificate table the way a host does (SEV-SNP.md section 3.5), independently
 * of the parser under test: entries, an all-zero terminator, then the blobs.
 */
public final class CertificateTableBuilder {

    public static final UUID ARK = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");
    public static final UUID ASK = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
    public static final UUID VCEK = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");
    public static final UUID VLEK = UUID.fromString("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
    public static final UUID EXTRA_PLATFORM_INFO = UUID.fromString("ecae0c0f-9502-43b1-afa2-0ae2e0d565b6");

    private final List<UUID> guids = new ArrayList<>();
    private final List<byte[]> blobs = new ArrayList<>();

    public CertificateTableBuilder add(UUID guid, byte[] blob) {
        guids.add(guid);
        blobs.add(blob.clone());
        return this;
    }

    public CertificateTableBuilder add(UUID guid, X509Certificate certificate) {
        try {
            return add(guid, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] build() {
        int headerSize = 24 * (guids.size() + 1);
        int total = headerSize + blobs.stream().mapToInt(blob -> blob.length).sum();
        ByteBuffer table = ByteBuffer.allocate(total);
        int offset = headerSize;
        for (int i = 0; i < guids.size(); i++) {
            table.order(ByteOrder.BIG_ENDIAN)
                    .putLong(guids.get(i).getMostSignificantBits())
                    .putLong(guids.get(i).getLeastSignificantBits())
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(offset)
                    .putInt(blobs.get(i).length);
            offset += blobs.get(i).length;
        }
        table.put(new byte[24]);
        blobs.forEach(table::put);
        return table.array();
    }
}
