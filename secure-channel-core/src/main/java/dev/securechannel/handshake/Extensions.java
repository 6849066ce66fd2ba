package dev.securechannel.handshake;

/**
 * A set of protocol extensions (PROTOCOL.md section 8.1): the four high bits of a hello's
 * flags byte. The extensions in use for a session are the bits of hello 2.
 *
 * @param bits the extension bits, a subset of {@code 0xF0}
 */
public record Extensions(int bits) {

    /** Bit 0x10: AES-256-GCM record protection (section 8.2). */
    public static final int AES_256_GCM = 0x10;
    /** Bit 0x20: key update (section 8.3). */
    public static final int KEY_UPDATE = 0x20;
    /** Bit 0x40: session resumption (section 8.4). */
    public static final int RESUMPTION = 0x40;
    /** The bits of a hello's flags byte that carry extensions. */
    public static final int MASK = 0xF0;

    /** No extension: base version 4. */
    public static final Extensions NONE = new Extensions(0);

    /** Checks that only extension bits are set. */
    public Extensions {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("extension bits must be within 0xF0: 0x" + Integer.toHexString(bits));
        }
    }

    /** The extensions of a hello's flags byte (its low bits ignored). */
    public static Extensions fromFlags(int flags) {
        return new Extensions(flags & MASK);
    }

    /** Whether every bit of {@code bit} is in this set. */
    public boolean has(int bit) {
        return (bits & bit) == bit;
    }

    /** Whether no extension is in this set. */
    public boolean isEmpty() {
        return bits == 0;
    }

    /** Whether key update (0x20) is in use. */
    public boolean keyUpdate() {
        return has(KEY_UPDATE);
    }

    /** Whether session resumption (0x40) is in use. */
    public boolean resumption() {
        return has(RESUMPTION);
    }


    @Override
    public String toString() {
        if (bits == 0) {
            return "none";
        }
        StringBuilder names = new StringBuilder();
        append(names, AES_256_GCM, "aes-256-gcm");
        append(names, KEY_UPDATE, "key-update");
        append(names, RESUMPTION, "resumption");
        append(names, 0x80, "reserved-0x80");
        return names.toString();
    }

    private void append(StringBuilder names, int bit, String name) {
        if (has(bit)) {
            names.append(names.length() == 0 ? "" : ",").append(name);
        }
    }
}
