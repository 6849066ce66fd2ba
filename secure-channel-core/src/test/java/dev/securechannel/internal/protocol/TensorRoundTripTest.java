package dev.securechannel.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.testing.SharedFiles;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encoding then decoding a tensor gives back the same name, dtype, shape and data
 * (CONFORMANCE B1), for randomly generated tensors, the crate's fixed examples, and the
 * tensor of the protocol known-answer vectors, which must also re-encode byte for byte.
 *
 * <p>The random cases are replayable: each test prints its seed, and
 * {@code -Dsecurechannel.seed=<seed>} reruns it with the same cases.
 */
class TensorRoundTripTest {

    private static final int CASES = 4_000;

    /** The {@code tensor_plaintext} of kat-v4-1.json. */
    static byte[] knownAnswerTensorBytes() {
        return SharedFiles.hex(SharedFiles.json("vectors/protocol/kat-v4-1.json").get("tensor_plaintext").asString());
    }

    @Test
    void randomTensorsOfEveryDtypeShapeAndNameSurviveEncodeThenDecode() {
        Random random = ReplayableRandom.create("B1 tensor round trip", 0xB1_7E5L);

        for (int i = 0; i < CASES; i++) {
            Tensor tensor = CodecTestSupport.randomTensor(random);

            byte[] encoded = TensorCodec.encode(tensor);
            Tensor decoded = TensorCodec.decode(encoded);

            assertThat(decoded.name()).as("case %d name", i).isEqualTo(tensor.name());
            assertThat(decoded.dtype()).as("case %d dtype", i).isEqualTo(tensor.dtype());
            assertThat(decoded.shape()).as("case %d shape", i).isEqualTo(tensor.shape());
            assertThat(decoded.dataBytes()).as("case %d data", i).isEqualTo(tensor.dataBytes());
            assertThat(TensorCodec.encode(decoded)).as("case %d re-encoding", i).isEqualTo(encoded);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeRoundTrips(DType dtype) {
        Tensor tensor = Tensor.of("t", dtype, new long[] {2, 3}, new byte[6 * dtype.elementSize()]);

        assertThat(TensorCodec.decode(TensorCodec.encode(tensor))).isEqualTo(tensor);
    }

    @Test
    void anF32TensorOfShapeTwoByThreeRoundTrips() {
        Tensor tensor = Tensor.ofFloats("hidden_state", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});

        Tensor decoded = TensorCodec.decode(TensorCodec.encode(tensor));

        assertThat(decoded.name()).isEqualTo("hidden_state");
        assertThat(decoded.shape()).containsExactly(2, 3);
        assertThat(decoded.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aScalarOfShapeOneRoundTrips() {
        Tensor tensor = Tensor.ofFloats("loss", new long[] {1}, new float[] {0.25f});

        Tensor decoded = TensorCodec.decode(TensorCodec.encode(tensor));

        assertThat(decoded.name()).isEqualTo("loss");
        assertThat(decoded.shape()).containsExactly(1);
        assertThat(decoded.toFloatArray()).containsExactly(0.25f);
    }

    @Test
    void anEmptyNameRoundTrips() {
        Tensor tensor = Tensor.of("", DType.F32, new long[] {2}, new byte[8]);

        assertThat(TensorCodec.decode(TensorCodec.encode(tensor)).name()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"caf\u00e9", "\u03b1_weights", "\u6e29\u5ea6", "\u0442\u0435\u043d\u0437\u043e\u0440",
            "\ud835\udefc", "\ud83d\ude00_emb"})
    void multiByteUtf8NamesRoundTrip(String name) {
        Tensor tensor = Tensor.of(name, DType.U8, new long[] {3}, new byte[] {1, 2, 3});

        assertThat(TensorCodec.decode(TensorCodec.encode(tensor)).name()).isEqualTo(name);
    }

    @Test
    void theKnownAnswerTensorDecodesToTheEmbeddingValues() {
        Tensor decoded = TensorCodec.decode(knownAnswerTensorBytes());

        assertThat(decoded.name()).isEqualTo("embedding");
        assertThat(decoded.dtype()).isEqualTo(DType.F32);
        assertThat(decoded.shape()).containsExactly(2, 3);
        assertThat(decoded.toFloatArray()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vectors/protocol/kat-v4-1.json", "vectors/protocol/kat-v4-2.json"})
    void theKnownAnswerTensorReencodesByteForByte(String vectorFile) {
        byte[] expected = SharedFiles.hex(SharedFiles.json(vectorFile).get("tensor_plaintext").asString());

        assertThat(TensorCodec.encode(TensorCodec.decode(expected))).isEqualTo(expected);
    }

    @Test
    void encodingTheEmbeddingValuesReproducesTheKnownAnswerTensor() {
        Tensor tensor = Tensor.ofFloats("embedding", new long[] {2, 3}, new float[] {0f, 0.5f, 1f, 1.5f, 2f, 2.5f});

        assertThat(TensorCodec.encode(tensor)).isEqualTo(knownAnswerTensorBytes());
    }
}
