package dev.securechannel.session;

import static dev.securechannel.internal.handshake.HandshakeFixtures.development;
import static dev.securechannel.session.ChannelTesting.async;
import static dev.securechannel.session.ChannelTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.handshake.WireFrames;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.internal.transport.InMemoryDuplex;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * CONFORMANCE E13, the hostile-host demo's "mode B": a passive relay records every frame of an
 * inference session (a text prompt, a [32, 384] F32 tensor each way, a text answer). Nothing
 * it sees is plaintext: every post-handshake frame is sealed, no Tensor frame parses as a
 * tensor, the payload bytes look random, and the prompt appears nowhere. The same traffic in
 * the clear ("mode A") is easy to recognise, which shows the checks can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PassiveCaptureTest {

    private static final String PROMPT = "Patient 4711 reports chest pain radiating to the left arm since Tuesday. ";

    private final List<byte[]> captured = new ArrayList<>();
    private final ByteArrayOutputStream plaintext = new ByteArrayOutputStream();

    @BeforeAll
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void recordAnInferenceSession() throws Exception {
        InMemoryDuplex duplex = InMemoryDuplex.create();
        RecordingTransport clientTap = new RecordingTransport(duplex.first());
        RecordingTransport serverTap = new RecordingTransport(duplex.second());
        CompletableFuture<SecureChannel> accepted = async(() -> SecureChannel.accept(serverTap, development()));
        byte[] prompt = PROMPT.repeat(40).getBytes(StandardCharsets.UTF_8);
        Tensor embeddings = structuredTensor();
        try (SecureChannel client = SecureChannel.connect(clientTap, development()); SecureChannel server = await(accepted)) {
            client.send(prompt);
            client.sendTensor(embeddings);
            server.receive();
            server.receive();
            server.sendTensor(embeddings);
            server.send(prompt);
            client.receive();
            client.receive();
            client.shutdown();
            server.receive();
        }
        for (byte[] part : List.of(prompt, TensorCodec.encode(embeddings), TensorCodec.encode(embeddings), prompt)) {
            plaintext.writeBytes(part);
        }
        captured.addAll(clientTap.sent().subList(2, clientTap.sent().size()));
        captured.addAll(serverTap.sent().subList(1, serverTap.sent().size()));
        assertThat(captured).hasSize(5);
    }

    @Test
    @DisplayName("E13 every captured frame after the handshake carries the ENCRYPTED flag")
    void everyFrameIsEncrypted() {
        assertThat(captured).allSatisfy(frame -> assertThat(WireFrames.flags(frame) & FrameFlags.ENCRYPTED).isNotZero());
        assertThat(captured).filteredOn(frame -> WireFrames.type(frame) == FrameType.TENSOR.code())
                .hasSize(2)
                .allSatisfy(frame -> assertThat(WireFrames.flags(frame)).isEqualTo(FrameFlags.ENCRYPTED | FrameFlags.TENSOR_PAYLOAD));
    }

    @Test
    @DisplayName("E13 no captured Tensor payload decodes as a tensor")
    void tensorPayloadsDoNotParse() {
        assertThat(captured).filteredOn(frame -> WireFrames.type(frame) == FrameType.TENSOR.code())
                .allSatisfy(frame -> assertThat(catchThrowable(() -> TensorCodec.decode(WireFrames.payload(frame))))
                        .isInstanceOf(SecureChannelException.class));
    }

    @Test
    @DisplayName("E13 captured payloads have more than 7.9 bits of entropy per byte; the plaintext has far less")
    void payloadsLookRandom() {
        byte[] wire = payloads();

        assertThat(wire.length).isGreaterThan(100_000);
        assertThat(entropyBitsPerByte(wire)).isGreaterThan(7.9);
        assertThat(entropyBitsPerByte(plaintext.toByteArray())).isLessThan(7.0);
    }

    @Test
    @DisplayName("E13 the prompt appears nowhere in the capture, while it is plain to see without encryption")
    void promptDoesNotAppearOnTheWire() {
        byte[] needle = PROMPT.substring(0, 24).getBytes(StandardCharsets.UTF_8);

        assertThat(indexOf(WireFrames.concat(captured.toArray(byte[][]::new)), needle)).isEqualTo(-1);
        assertThat(indexOf(plaintext.toByteArray(), needle)).isNotNegative();
    }

    @Test
    @DisplayName("E13 the AEAD and header overhead is above 0 and below 5 % of the plaintext")
    void overheadIsSmall() {
        long wireBytes = captured.stream().mapToLong(frame -> frame.length).sum();
        long plainBytes = plaintext.size();
        double overhead = (double) (wireBytes - plainBytes) / plainBytes;

        assertThat(overhead).isStrictlyBetween(0.0, 0.05);
    }

    private byte[] payloads() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        captured.forEach(frame -> out.writeBytes(WireFrames.payload(frame)));
        return out.toByteArray();
    }

    /** A tensor with obvious structure: small integers as floats, as embeddings of a short vocabulary look. */
    private static Tensor structuredTensor() {
        float[] values = new float[32 * 384];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 17) * 0.25f;
        }
        return Tensor.ofFloats("embeddings", new long[] {32, 384}, values);
    }

    private static double entropyBitsPerByte(byte[] data) {
        long[] counts = new long[256];
        for (byte b : data) {
            counts[b & 0xFF]++;
        }
        double entropy = 0;
        for (long count : counts) {
            if (count > 0) {
                double p = (double) count / data.length;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return entropy;
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
        return -1;
    }
}
