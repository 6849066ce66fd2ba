package dev.securechannel.internal.sevsnp.guest;

import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceException;
import dev.securechannel.attestation.sevsnp.guest.SnpEvidenceFailure;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The raw TPM 2.0 commands the Azure vTPM report flow needs, built and parsed byte for byte
 * (SEV-SNP.md section 5.8; TPM 2.0 Library Part 3). All integers are big-endian. Commands that
 * need authorisation use one password session for the owner hierarchy with the empty password,
 * which is Azure's default.
 *
 * <p>Every parser first checks the response header ({@link #requireSuccess}): the declared
 * size must equal the bytes received and a non-zero response code becomes a
 * {@link TpmResponseException}. Truncated or inconsistent responses become a
 * {@link SnpEvidenceException} with {@link SnpEvidenceFailure#MALFORMED_TPM_RESPONSE}.
 * Stateless; every method is thread-safe.
 */
public final class Tpm2Commands {

    /** Tag of a command or response without authorisation sessions. */
    public static final int TPM_ST_NO_SESSIONS = 0x8001;
    /** Tag of a command or response with authorisation sessions. */
    public static final int TPM_ST_SESSIONS = 0x8002;

    public static final int TPM_CC_NV_UNDEFINE_SPACE = 0x122;
    public static final int TPM_CC_NV_DEFINE_SPACE = 0x12A;
    public static final int TPM_CC_NV_WRITE = 0x137;
    public static final int TPM_CC_NV_READ = 0x14E;
    public static final int TPM_CC_NV_READ_PUBLIC = 0x169;
    public static final int TPM_CC_GET_CAPABILITY = 0x17A;

    /** The owner (storage) hierarchy, which authorises NV define, write and read here. */
    public static final int TPM_RH_OWNER = 0x40000001;
    /** The handle of a password authorisation session. */
    public static final int TPM_RS_PW = 0x40000009;
    public static final int TPM_ALG_SHA256 = 0x000B;

    public static final int TPMA_NV_OWNERWRITE = 0x0000_0002;
    public static final int TPMA_NV_AUTHWRITE = 0x0000_0004;
    public static final int TPMA_NV_OWNERREAD = 0x0002_0000;
    public static final int TPMA_NV_AUTHREAD = 0x0004_0000;

    public static final int TPM_CAP_TPM_PROPERTIES = 6;
    public static final int TPM_PT_NV_BUFFER_MAX = 0x12C;

    public static final int TPM_RC_SUCCESS = 0;
    /** NV_DefineSpace on an index that already exists. */
    public static final int TPM_RC_NV_DEFINED = 0x14C;

    /** Size of a command or response header: tag u16, size u32, code u32. */
    public static final int HEADER_SIZE = 10;

    /**
     * The password session with an empty password, preceded by its size:
     * {@code authorizationSize = 9 | TPM_RS_PW | nonce size 0 | attributes 0 | hmac size 0}.
     */
    private static final byte[] EMPTY_PASSWORD_AUTH_AREA = {
        0x00, 0x00, 0x00, 0x09,
        0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
    };

    private static final Map<Integer, String> COMMAND_NAMES = Map.of(
            TPM_CC_NV_UNDEFINE_SPACE, "TPM2_NV_UndefineSpace",
            TPM_CC_NV_DEFINE_SPACE, "TPM2_NV_DefineSpace",
            TPM_CC_NV_WRITE, "TPM2_NV_Write",
            TPM_CC_NV_READ, "TPM2_NV_Read",
            TPM_CC_NV_READ_PUBLIC, "TPM2_NV_ReadPublic",
            TPM_CC_GET_CAPABILITY, "TPM2_GetCapability");

    private Tpm2Commands() {
    }

    // ---------------------------------------------------------------------------------------
    // Commands

    /** {@code TPM2_NV_ReadPublic(nvIndex)}: 14 bytes, no sessions. */
    public static byte[] nvReadPublic(int nvIndex) {
        return command(TPM_ST_NO_SESSIONS, TPM_CC_NV_READ_PUBLIC, 4).putInt(nvIndex).array();
    }

    /**
     * {@code TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES, property, 1)}: 22 bytes, no sessions.
     * With {@link #TPM_PT_NV_BUFFER_MAX} it asks for the largest NV_Read/NV_Write chunk.
     */
    public static byte[] getTpmProperty(int property) {
        return command(TPM_ST_NO_SESSIONS, TPM_CC_GET_CAPABILITY, 12)
                .putInt(TPM_CAP_TPM_PROPERTIES)
                .putInt(property)
                .putInt(1)
                .array();
    }

    /** {@code TPM2_NV_Read(owner, nvIndex, size, offset)}: 35 bytes, owner password session. */
    public static byte[] nvRead(int nvIndex, int size, int offset) {
        return command(TPM_ST_SESSIONS, TPM_CC_NV_READ, 8 + EMPTY_PASSWORD_AUTH_AREA.length + 4)
                .putInt(TPM_RH_OWNER)
                .putInt(nvIndex)
                .put(EMPTY_PASSWORD_AUTH_AREA)
                .putShort(u16(size, "size"))
                .putShort(u16(offset, "offset"))
                .array();
    }

    /** {@code TPM2_NV_UndefineSpace(owner, nvIndex)}: 31 bytes, owner password session. */
    public static byte[] nvUndefineSpace(int nvIndex) {
        return command(TPM_ST_SESSIONS, TPM_CC_NV_UNDEFINE_SPACE, 8 + EMPTY_PASSWORD_AUTH_AREA.length)
                .putInt(TPM_RH_OWNER)
                .putInt(nvIndex)
                .put(EMPTY_PASSWORD_AUTH_AREA)
                .array();
    }

    /**
     * {@code TPM2_NV_DefineSpace(owner, empty auth, publicInfo)} with name algorithm SHA-256 and
     * an empty auth policy: 45 bytes, owner password session.
     */
    public static byte[] nvDefineSpace(int nvIndex, int attributes, int dataSize) {
        int publicInfoSize = 4 + 2 + 4 + 2 + 2;
        return command(TPM_ST_SESSIONS, TPM_CC_NV_DEFINE_SPACE, 4 + EMPTY_PASSWORD_AUTH_AREA.length + 2 + 2 + publicInfoSize)
                .putInt(TPM_RH_OWNER)
                .put(EMPTY_PASSWORD_AUTH_AREA)
                .putShort((short) 0) // TPM2B_AUTH: the index gets an empty password
                .putShort((short) publicInfoSize)
                .putInt(nvIndex)
                .putShort((short) TPM_ALG_SHA256)
                .putInt(attributes)
                .putShort((short) 0) // authPolicy: none
                .putShort(u16(dataSize, "dataSize"))
                .array();
    }

    /** {@code TPM2_NV_Write(owner, nvIndex, data, offset)}: 31 + 2 + data + 2 bytes, owner password session. */
    public static byte[] nvWrite(int nvIndex, byte[] data, int offset) {
        return command(TPM_ST_SESSIONS, TPM_CC_NV_WRITE, 8 + EMPTY_PASSWORD_AUTH_AREA.length + 2 + data.length + 2)
                .putInt(TPM_RH_OWNER)
                .putInt(nvIndex)
                .put(EMPTY_PASSWORD_AUTH_AREA)
                .putShort(u16(data.length, "data length"))
                .put(data)
                .putShort(u16(offset, "offset"))
                .array();
    }

    // ---------------------------------------------------------------------------------------
    // Responses

    /**
     * Checks a response header and returns a buffer positioned after it.
     *
     * @param target what the command addressed, for the error message (for example {@code "of 0x01400001"})
     * @throws TpmResponseException  if the response code is not {@link #TPM_RC_SUCCESS}
     * @throws SnpEvidenceException  if the response is shorter than its header or its declared size
     */
    public static ByteBuffer requireSuccess(int commandCode, String target, byte[] response) {
        if (response.length < HEADER_SIZE) {
            throw malformed(commandCode, "response of " + response.length + " bytes has no complete header");
        }
        ByteBuffer in = ByteBuffer.wrap(response);
        int tag = Short.toUnsignedInt(in.getShort());
        long declaredSize = Integer.toUnsignedLong(in.getInt());
        int responseCode = in.getInt();
        if (declaredSize != response.length) {
            throw malformed(commandCode, "response declares " + declaredSize + " bytes but has " + response.length);
        }
        if (tag != TPM_ST_NO_SESSIONS && tag != TPM_ST_SESSIONS) {
            throw malformed(commandCode, String.format("unknown response tag 0x%04X", tag));
        }
        if (responseCode != TPM_RC_SUCCESS) {
            throw new TpmResponseException(commandCode, responseCode, target);
        }
        return in;
    }

    /** Parses a successful {@code TPM2_NV_ReadPublic} response for {@code nvIndex}. */
    public static NvPublic parseNvReadPublic(int nvIndex, byte[] response) {
        ByteBuffer in = requireSuccess(TPM_CC_NV_READ_PUBLIC, "of " + index(nvIndex), response);
        try {
            int publicSize = Short.toUnsignedInt(in.getShort());
            int start = in.position();
            int answeredIndex = in.getInt();
            int nameAlg = Short.toUnsignedInt(in.getShort());
            int attributes = in.getInt();
            byte[] authPolicy = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(authPolicy);
            int dataSize = Short.toUnsignedInt(in.getShort());
            if (in.position() - start != publicSize) {
                throw malformed(TPM_CC_NV_READ_PUBLIC, "TPM2B_NV_PUBLIC declares " + publicSize + " bytes but holds " + (in.position() - start));
            }
            int nameSize = Short.toUnsignedInt(in.getShort());
            in.position(in.position() + nameSize);
            if (answeredIndex != nvIndex) {
                throw malformed(TPM_CC_NV_READ_PUBLIC, "asked for " + index(nvIndex) + " but got " + index(answeredIndex));
            }
            return new NvPublic(answeredIndex, nameAlg, attributes, authPolicy, dataSize);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw malformed(TPM_CC_NV_READ_PUBLIC, "truncated TPM2B_NV_PUBLIC or TPM2B_NAME");
        }
    }

    /** Parses a successful {@code TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES)} response and returns the value of {@code property}. */
    public static int parseTpmProperty(byte[] response, int property) {
        ByteBuffer in = requireSuccess(TPM_CC_GET_CAPABILITY, String.format("of property 0x%X", property), response);
        try {
            in.get(); // moreData: irrelevant, we ask for one property
            int capability = in.getInt();
            if (capability != TPM_CAP_TPM_PROPERTIES) {
                throw malformed(TPM_CC_GET_CAPABILITY, "answered capability " + capability + " instead of TPM_CAP_TPM_PROPERTIES");
            }
            long count = Integer.toUnsignedLong(in.getInt());
            for (long i = 0; i < count; i++) {
                int tag = in.getInt();
                int value = in.getInt();
                if (tag == property) {
                    return value;
                }
            }
        } catch (BufferUnderflowException e) {
            throw malformed(TPM_CC_GET_CAPABILITY, "truncated TPML_TAGGED_TPM_PROPERTY");
        }
        throw malformed(TPM_CC_GET_CAPABILITY, String.format("property 0x%X missing from the answer", property));
    }

    /** Parses a successful {@code TPM2_NV_Read} response for {@code nvIndex} and returns the data read. */
    public static byte[] parseNvRead(int nvIndex, byte[] response) {
        ByteBuffer in = requireSuccess(TPM_CC_NV_READ, "of " + index(nvIndex), response);
        try {
            long parameterSize = Integer.toUnsignedLong(in.getInt());
            if (parameterSize > in.remaining()) {
                throw malformed(TPM_CC_NV_READ, "parameterSize " + parameterSize + " exceeds the response");
            }
            int dataSize = Short.toUnsignedInt(in.getShort());
            if (2L + dataSize > parameterSize) {
                throw malformed(TPM_CC_NV_READ, "TPM2B_MAX_NV_BUFFER of " + dataSize + " bytes exceeds parameterSize " + parameterSize);
            }
            byte[] data = new byte[dataSize];
            in.get(data);
            return data;
        } catch (BufferUnderflowException e) {
            throw malformed(TPM_CC_NV_READ, "truncated TPM2B_MAX_NV_BUFFER");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Names for messages

    /** The TPM 2.0 name of a command code, or its hex value when unknown. */
    public static String commandName(int commandCode) {
        String name = COMMAND_NAMES.get(commandCode);
        return name != null ? name : String.format("TPM_CC 0x%X", commandCode);
    }

    /**
     * A readable name for a TPM_RC following the code layout of TPM 2.0 Part 2 section 6.6:
     * format-one codes name the handle, parameter or session they refer to, format-zero codes
     * are errors or warnings, and codes with bits above 15 come from a software layer (the
     * kernel resource manager, a TSS) rather than the TPM.
     */
    public static String describeResponseCode(int responseCode) {
        if (responseCode == TPM_RC_SUCCESS) {
            return "TPM_RC_SUCCESS";
        }
        int layer = responseCode >>> 16;
        if (layer != 0) {
            return String.format("software layer %d, code 0x%04X", layer, responseCode & 0xFFFF);
        }
        if ((responseCode & 0x80) != 0) {
            String name = FORMAT_ONE_NAMES.getOrDefault(responseCode & 0x3F, String.format("format-one error 0x%02X", responseCode & 0x3F));
            int number = (responseCode >>> 8) & 0xF;
            if ((responseCode & 0x40) != 0) {
                return name + ", parameter " + number;
            }
            if (number == 0) {
                return name;
            }
            return number >= 8 ? name + ", session " + (number - 8) : name + ", handle " + number;
        }
        if ((responseCode & 0x100) == 0) {
            return "TPM 1.2 response code";
        }
        if ((responseCode & 0x400) != 0) {
            return "vendor-specific response code";
        }
        boolean warning = (responseCode & 0x800) != 0;
        Map<Integer, String> names = warning ? WARNING_NAMES : VERSION_ONE_NAMES;
        int number = responseCode & 0x7F;
        return names.getOrDefault(number, String.format(warning ? "warning 0x%02X" : "error 0x%02X", number));
    }

    private static final Map<Integer, String> FORMAT_ONE_NAMES = Map.ofEntries(
            Map.entry(0x01, "TPM_RC_ASYMMETRIC"),
            Map.entry(0x02, "TPM_RC_ATTRIBUTES"),
            Map.entry(0x03, "TPM_RC_HASH"),
            Map.entry(0x04, "TPM_RC_VALUE"),
            Map.entry(0x05, "TPM_RC_HIERARCHY"),
            Map.entry(0x07, "TPM_RC_KEY_SIZE"),
            Map.entry(0x08, "TPM_RC_MGF"),
            Map.entry(0x09, "TPM_RC_MODE"),
            Map.entry(0x0A, "TPM_RC_TYPE"),
            Map.entry(0x0B, "TPM_RC_HANDLE"),
            Map.entry(0x0C, "TPM_RC_KDF"),
            Map.entry(0x0D, "TPM_RC_RANGE"),
            Map.entry(0x0E, "TPM_RC_AUTH_FAIL"),
            Map.entry(0x0F, "TPM_RC_NONCE"),
            Map.entry(0x10, "TPM_RC_PP"),
            Map.entry(0x12, "TPM_RC_SCHEME"),
            Map.entry(0x15, "TPM_RC_SIZE"),
            Map.entry(0x16, "TPM_RC_SYMMETRIC"),
            Map.entry(0x17, "TPM_RC_TAG"),
            Map.entry(0x18, "TPM_RC_SELECTOR"),
            Map.entry(0x1A, "TPM_RC_INSUFFICIENT"),
            Map.entry(0x1B, "TPM_RC_SIGNATURE"),
            Map.entry(0x1C, "TPM_RC_KEY"),
            Map.entry(0x1D, "TPM_RC_POLICY_FAIL"),
            Map.entry(0x1F, "TPM_RC_INTEGRITY"),
            Map.entry(0x20, "TPM_RC_TICKET"),
            Map.entry(0x21, "TPM_RC_RESERVED_BITS"),
            Map.entry(0x22, "TPM_RC_BAD_AUTH"),
            Map.entry(0x23, "TPM_RC_EXPIRED"),
            Map.entry(0x24, "TPM_RC_POLICY_CC"),
            Map.entry(0x25, "TPM_RC_BINDING"),
            Map.entry(0x26, "TPM_RC_CURVE"),
            Map.entry(0x27, "TPM_RC_ECC_POINT"));

    private static final Map<Integer, String> VERSION_ONE_NAMES = Map.ofEntries(
            Map.entry(0x00, "TPM_RC_INITIALIZE"),
            Map.entry(0x01, "TPM_RC_FAILURE"),
            Map.entry(0x03, "TPM_RC_SEQUENCE"),
            Map.entry(0x0B, "TPM_RC_PRIVATE"),
            Map.entry(0x19, "TPM_RC_HMAC"),
            Map.entry(0x20, "TPM_RC_DISABLED"),
            Map.entry(0x21, "TPM_RC_EXCLUSIVE"),
            Map.entry(0x24, "TPM_RC_AUTH_TYPE"),
            Map.entry(0x25, "TPM_RC_AUTH_MISSING"),
            Map.entry(0x26, "TPM_RC_POLICY"),
            Map.entry(0x27, "TPM_RC_PCR"),
            Map.entry(0x28, "TPM_RC_PCR_CHANGED"),
            Map.entry(0x2D, "TPM_RC_UPGRADE"),
            Map.entry(0x2E, "TPM_RC_TOO_MANY_CONTEXTS"),
            Map.entry(0x2F, "TPM_RC_AUTH_UNAVAILABLE"),
            Map.entry(0x30, "TPM_RC_REBOOT"),
            Map.entry(0x31, "TPM_RC_UNBALANCED"),
            Map.entry(0x42, "TPM_RC_COMMAND_SIZE"),
            Map.entry(0x43, "TPM_RC_COMMAND_CODE"),
            Map.entry(0x44, "TPM_RC_AUTHSIZE"),
            Map.entry(0x45, "TPM_RC_AUTH_CONTEXT"),
            Map.entry(0x46, "TPM_RC_NV_RANGE"),
            Map.entry(0x47, "TPM_RC_NV_SIZE"),
            Map.entry(0x48, "TPM_RC_NV_LOCKED"),
            Map.entry(0x49, "TPM_RC_NV_AUTHORIZATION"),
            Map.entry(0x4A, "TPM_RC_NV_UNINITIALIZED"),
            Map.entry(0x4B, "TPM_RC_NV_SPACE"),
            Map.entry(0x4C, "TPM_RC_NV_DEFINED"),
            Map.entry(0x50, "TPM_RC_BAD_CONTEXT"),
            Map.entry(0x51, "TPM_RC_CPHASH"),
            Map.entry(0x52, "TPM_RC_PARENT"),
            Map.entry(0x53, "TPM_RC_NEEDS_TEST"),
            Map.entry(0x54, "TPM_RC_NO_RESULT"),
            Map.entry(0x55, "TPM_RC_SENSITIVE"));

    private static final Map<Integer, String> WARNING_NAMES = Map.ofEntries(
            Map.entry(0x01, "TPM_RC_CONTEXT_GAP"),
            Map.entry(0x02, "TPM_RC_OBJECT_MEMORY"),
            Map.entry(0x03, "TPM_RC_SESSION_MEMORY"),
            Map.entry(0x04, "TPM_RC_MEMORY"),
            Map.entry(0x05, "TPM_RC_SESSION_HANDLES"),
            Map.entry(0x06, "TPM_RC_OBJECT_HANDLES"),
            Map.entry(0x07, "TPM_RC_LOCALITY"),
            Map.entry(0x08, "TPM_RC_YIELDED"),
            Map.entry(0x09, "TPM_RC_CANCELED"),
            Map.entry(0x0A, "TPM_RC_TESTING"),
            Map.entry(0x20, "TPM_RC_NV_RATE"),
            Map.entry(0x21, "TPM_RC_LOCKOUT"),
            Map.entry(0x22, "TPM_RC_RETRY"),
            Map.entry(0x23, "TPM_RC_NV_UNAVAILABLE"));

    /**
     * Whether a response code says "this index does not exist": {@code TPM_RC_HANDLE} on the
     * first handle, which NV_ReadPublic returns for an undefined index (0x18B).
     */
    public static boolean isUndefinedIndex(int responseCode) {
        return responseCode == 0x18B;
    }

    // ---------------------------------------------------------------------------------------

    private static ByteBuffer command(int tag, int commandCode, int bodySize) {
        int size = HEADER_SIZE + bodySize;
        return ByteBuffer.allocate(size).putShort((short) tag).putInt(size).putInt(commandCode);
    }

    private static short u16(int value, String field) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " " + value + " does not fit a TPM u16");
        }
        return (short) value;
    }

    private static SnpEvidenceException malformed(int commandCode, String detail) {
        return new SnpEvidenceException(SnpEvidenceFailure.MALFORMED_TPM_RESPONSE, commandName(commandCode) + ": " + detail);
    }

    /** For messages: an NV index as {@code 0x01400001}. */
    static String index(int nvIndex) {
        return String.format("0x%08X", nvIndex);
    }
}
