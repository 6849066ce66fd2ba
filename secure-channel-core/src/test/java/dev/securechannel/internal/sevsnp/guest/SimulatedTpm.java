package dev.securechannel.internal.sevsnp.guest;

import dev.securechannel.attestation.sevsnp.guest.TpmDevice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hardware stand-in for the Azure vTPM tests: a TPM 2.0 that parses each command byte for
 * byte as a real TPM would (header size, tag, handles, the password session's exact bytes,
 * parameter sizes, no trailing bytes), keeps NV indices in memory and answers in the TPM's
 * response format. It behaves like OpenHCL for the HCL report index: an NV_Read at offset 0
 * regenerates the report from the current user-data index, unless it is told to stay stale for
 * the next N such reads. Anything a real TPM would reject is both answered with an error code
 * and recorded as a protocol violation, so tests can assert there were none.
 */
public final class SimulatedTpm implements TpmDevice {

    /** One command as received, with the thread that sent it. */
    public record Command(int code, List<Integer> handles, byte[] bytes, String thread) {
    }

    /** One NV_Read as received. */
    public record NvReadRequest(int index, int size, int offset) {
    }

    private static final int HCL_INDEX = 0x01400001;
    private static final int USER_INDEX = 0x01400002;
    private static final byte[] EMPTY_PASSWORD_SESSION = {0x40, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00};
    private static final byte[] USER_DATA_KEY = "\"user-data\":\"".getBytes(StandardCharsets.US_ASCII);

    private final byte[] baseHclReport;
    private final Map<Integer, NvIndex> nv = new HashMap<>();
    private final List<Command> commands = new ArrayList<>();
    private final List<NvReadRequest> nvReads = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<Integer, Integer> injectedErrors = new HashMap<>();
    private byte[] publishedHclReport;
    private int staleReadsLeft;
    private int nvBufferMax = 1024;

    private static final class NvIndex {
        final int attributes;
        final byte[] data;

        NvIndex(int attributes, byte[] data) {
            this.attributes = attributes;
            this.data = data;
        }
    }

    /** A vTPM whose HCL report index holds {@code hclReport}; the user-data index is not defined yet. */
    public SimulatedTpm(byte[] hclReport) {
        this.baseHclReport = hclReport.clone();
        this.publishedHclReport = hclReport.clone();
        nv.put(HCL_INDEX, new NvIndex(0x00020002 | 0x00040000, hclReport.clone()));
    }

    /** Defines the user-data index with {@code size} bytes, as an earlier boot might have left it. */
    public synchronized void defineUserDataIndex(int size) {
        nv.put(USER_INDEX, new NvIndex(0x00060006, new byte[size]));
    }

    /** Removes an index, for example the report index to act like a TPM outside Azure. */
    public synchronized void removeIndex(int index) {
        nv.remove(index);
    }

    /** The next {@code reads} offset-0 reads of the report return the previous report (OpenHCL's rate limit). */
    public synchronized void stayStaleFor(int reads) {
        staleReadsLeft = reads;
    }

    /** The next command with {@code commandCode} fails with {@code responseCode}. */
    public synchronized void failNext(int commandCode, int responseCode) {
        injectedErrors.put(commandCode, responseCode);
    }

    public synchronized void nvBufferMax(int value) {
        nvBufferMax = value;
    }

    public synchronized List<Command> commands() {
        return List.copyOf(commands);
    }

    public synchronized List<Integer> commandCodes() {
        return commands.stream().map(Command::code).toList();
    }

    public synchronized List<NvReadRequest> nvReads() {
        return List.copyOf(nvReads);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized byte @org.jspecify.annotations.Nullable [] userDataIndex() {
        NvIndex index = nv.get(USER_INDEX);
        return index == null ? null : index.data.clone();
    }

    public synchronized int userDataIndexAttributes() {
        return nv.get(USER_INDEX).attributes;
    }

    @Override
    public synchronized byte[] transmit(byte[] command) {
        if (command.length < 10) {
            return violation("command shorter than a header", 0x95); // TPM_RC_INSUFFICIENT as format zero
        }
        ByteBuffer in = ByteBuffer.wrap(command);
        int tag = Short.toUnsignedInt(in.getShort());
        int size = in.getInt();
        int code = in.getInt();
        if (size != command.length) {
            return violation("commandSize " + size + " but " + command.length + " bytes", 0x142);
        }
        boolean sessions = tag == 0x8002;
        if (tag != 0x8001 && !sessions) {
            return violation(String.format("tag 0x%04X", tag), 0x0A5);
        }
        int handleCount = switch (code) {
            case Tpm2Commands.TPM_CC_NV_READ_PUBLIC, Tpm2Commands.TPM_CC_NV_DEFINE_SPACE -> 1;
            case Tpm2Commands.TPM_CC_NV_READ, Tpm2Commands.TPM_CC_NV_WRITE, Tpm2Commands.TPM_CC_NV_UNDEFINE_SPACE -> 2;
            case Tpm2Commands.TPM_CC_GET_CAPABILITY -> 0;
            default -> -1;
        };
        if (handleCount < 0) {
            return violation(String.format("unknown command code 0x%X", code), 0x143);
        }
        boolean needsSession = code != Tpm2Commands.TPM_CC_NV_READ_PUBLIC && code != Tpm2Commands.TPM_CC_GET_CAPABILITY;
        if (needsSession != sessions) {
            return violation(Tpm2Commands.commandName(code) + " sent " + (sessions ? "with" : "without") + " sessions", needsSession ? 0x125 : 0x0A5);
        }
        if (in.remaining() < 4 * handleCount) {
            return violation("truncated handle area", 0x095);
        }
        List<Integer> handles = new ArrayList<>();
        for (int i = 0; i < handleCount; i++) {
            handles.add(in.getInt());
        }
        commands.add(new Command(code, handles, command.clone(), Thread.currentThread().getName()));
        if (sessions) {
            if (in.remaining() < 4 || in.getInt() != EMPTY_PASSWORD_SESSION.length || in.remaining() < EMPTY_PASSWORD_SESSION.length) {
                return violation("authorizationSize is not 9", 0x144);
            }
            byte[] session = new byte[EMPTY_PASSWORD_SESSION.length];
            in.get(session);
            if (!Arrays.equals(session, EMPTY_PASSWORD_SESSION)) {
                return violation("session is not the empty password session: " + HexFormat.of().formatHex(session), 0x98E);
            }
            if (handles.get(0) != Tpm2Commands.TPM_RH_OWNER) {
                return violation(String.format("authorisation handle 0x%08X is not the owner", handles.get(0)), 0x98B);
            }
        }
        Integer injected = injectedErrors.remove(code);
        if (injected != null) {
            return error(injected);
        }
        try {
            return switch (code) {
                case Tpm2Commands.TPM_CC_NV_READ_PUBLIC -> nvReadPublic(handles.get(0), in);
                case Tpm2Commands.TPM_CC_GET_CAPABILITY -> getCapability(in);
                case Tpm2Commands.TPM_CC_NV_READ -> nvRead(handles.get(1), in);
                case Tpm2Commands.TPM_CC_NV_WRITE -> nvWrite(handles.get(1), in);
                case Tpm2Commands.TPM_CC_NV_DEFINE_SPACE -> nvDefineSpace(in);
                case Tpm2Commands.TPM_CC_NV_UNDEFINE_SPACE -> nvUndefineSpace(handles.get(1), in);
                default -> throw new IllegalStateException();
            };
        } catch (java.nio.BufferUnderflowException e) {
            return violation(Tpm2Commands.commandName(code) + " parameters truncated", 0x095);
        }
    }

    private byte[] nvReadPublic(int index, ByteBuffer in) {
        if (in.hasRemaining()) {
            return violation("NV_ReadPublic has trailing bytes", 0x095);
        }
        NvIndex nvIndex = nv.get(index);
        if (nvIndex == null) {
            return error(0x18B);
        }
        ByteBuffer publicArea = ByteBuffer.allocate(14)
                .putInt(index).putShort((short) 0x000B).putInt(nvIndex.attributes).putShort((short) 0).putShort((short) nvIndex.data.length);
        byte[] name = ByteBuffer.allocate(34).putShort((short) 0x000B).put(sha256(publicArea.array())).array();
        return success(false, ByteBuffer.allocate(2 + 14 + 2 + 34)
                .putShort((short) 14).put(publicArea.array()).putShort((short) 34).put(name).array());
    }

    private byte[] getCapability(ByteBuffer in) {
        int capability = in.getInt();
        int property = in.getInt();
        int count = in.getInt();
        if (in.hasRemaining() || capability != 6 || property != 0x12C || count != 1) {
            return violation("unexpected GetCapability " + capability + "/" + property + "/" + count, 0x1C4);
        }
        return success(false, ByteBuffer.allocate(17).put((byte) 0).putInt(6).putInt(1).putInt(0x12C).putInt(nvBufferMax).array());
    }

    private byte[] nvRead(int index, ByteBuffer in) {
        int size = Short.toUnsignedInt(in.getShort());
        int offset = Short.toUnsignedInt(in.getShort());
        if (in.hasRemaining()) {
            return violation("NV_Read has trailing bytes", 0x095);
        }
        nvReads.add(new NvReadRequest(index, size, offset));
        NvIndex nvIndex = nv.get(index);
        if (nvIndex == null) {
            return error(0x28B);
        }
        if (size > nvBufferMax) {
            return violation("NV_Read of " + size + " bytes exceeds NV_BUFFER_MAX " + nvBufferMax, 0x1D5);
        }
        if (offset + size > nvIndex.data.length) {
            return error(0x146);
        }
        byte[] source = nvIndex.data;
        if (index == HCL_INDEX) {
            if (offset == 0) {
                refreshHclReport();
            }
            source = publishedHclReport;
        }
        byte[] data = Arrays.copyOfRange(source, offset, offset + size);
        return success(true, ByteBuffer.allocate(2 + size).putShort((short) size).put(data).array());
    }

    private void refreshHclReport() {
        if (staleReadsLeft > 0) {
            staleReadsLeft--;
            return;
        }
        NvIndex user = nv.get(USER_INDEX);
        byte[] report = baseHclReport.clone();
        if (user != null && user.data.length == 64) {
            int at = indexOf(report, USER_DATA_KEY) + USER_DATA_KEY.length;
            byte[] hex = HexFormat.of().formatHex(user.data).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(hex, 0, report, at, hex.length);
        }
        publishedHclReport = report;
    }

    private byte[] nvWrite(int index, ByteBuffer in) {
        byte[] data = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(data);
        int offset = Short.toUnsignedInt(in.getShort());
        if (in.hasRemaining()) {
            return violation("NV_Write has trailing bytes", 0x095);
        }
        NvIndex nvIndex = nv.get(index);
        if (nvIndex == null) {
            return error(0x28B);
        }
        if (index == HCL_INDEX) {
            return error(0x148); // the paravisor's index is read-only to the guest: TPM_RC_NV_LOCKED
        }
        if (offset + data.length > nvIndex.data.length) {
            return error(0x146);
        }
        System.arraycopy(data, 0, nvIndex.data, offset, data.length);
        return success(true, new byte[0]);
    }

    private byte[] nvDefineSpace(ByteBuffer in) {
        int authSize = Short.toUnsignedInt(in.getShort());
        in.position(in.position() + authSize);
        int publicSize = Short.toUnsignedInt(in.getShort());
        int start = in.position();
        int index = in.getInt();
        int nameAlg = Short.toUnsignedInt(in.getShort());
        int attributes = in.getInt();
        int policySize = Short.toUnsignedInt(in.getShort());
        in.position(in.position() + policySize);
        int dataSize = Short.toUnsignedInt(in.getShort());
        if (in.position() - start != publicSize || in.hasRemaining()) {
            return violation("NV_DefineSpace publicInfo size mismatch", 0x1D5);
        }
        if (nameAlg != 0x000B) {
            return violation("nameAlg " + nameAlg, 0x2C3);
        }
        if (nv.containsKey(index)) {
            return error(0x14C);
        }
        nv.put(index, new NvIndex(attributes, new byte[dataSize]));
        return success(true, new byte[0]);
    }

    private byte[] nvUndefineSpace(int index, ByteBuffer in) {
        if (in.hasRemaining()) {
            return violation("NV_UndefineSpace has trailing bytes", 0x095);
        }
        if (nv.remove(index) == null) {
            return error(0x28B);
        }
        return success(true, new byte[0]);
    }

    private byte[] violation(String what, int responseCode) {
        violations.add(what);
        return error(responseCode);
    }

    private static byte[] error(int responseCode) {
        return ByteBuffer.allocate(10).putShort((short) 0x8001).putInt(10).putInt(responseCode).array();
    }

    /** A success response; with sessions: parameterSize, parameters, then the session's response area. */
    private static byte[] success(boolean sessions, byte[] parameters) {
        if (!sessions) {
            return ByteBuffer.allocate(10 + parameters.length).putShort((short) 0x8001).putInt(10 + parameters.length).putInt(0)
                    .put(parameters).array();
        }
        int size = 10 + 4 + parameters.length + 5;
        return ByteBuffer.allocate(size).putShort((short) 0x8002).putInt(size).putInt(0)
                .putInt(parameters.length).put(parameters)
                .put(new byte[] {0x00, 0x00, 0x01, 0x00, 0x00}) // empty nonce, continueSession, empty hmac
                .array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("the HCL report fixture has no user-data claim");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
