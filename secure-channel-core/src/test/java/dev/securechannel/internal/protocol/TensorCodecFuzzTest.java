package dev.securechannel.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.SecureChannelException;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.Tensor;
import java.nio.ByteBuffer;

/**
 * The tensor sub-frame codec: any bytes either decode to a tensor that encodes back to exactly
 * those bytes (the encoding is canonical: zero padding, strict UTF-8, exact data length), or are
 * refused with a {@link SecureChannelException} only; and any tensor the sender can build
 * survives encode-then-decode unchanged.
 */
class TensorCodecFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decodesOnlyCanonicalSubFramesThatReEncodeExactly(byte[] subFrame) {
        Tensor tensor;
        try {
            tensor = TensorCodec.decode(subFrame);
        } catch (SecureChannelException refused) {
            return;
        }
        assertThat(TensorCodec.encodedLength(tensor)).isEqualTo(subFrame.length);
        assertThat(TensorCodec.encode(tensor)).isEqualTo(subFrame);
    }

    @FuzzTest(maxDuration = "10m")
    void encodeThenDecodeReturnsTheSameTensor(FuzzedDataProvider data) {
        DType dtype = data.pickValue(DType.values());
        int rank = data.consumeInt(0, Tensor.MAX_DIMENSIONS);
        long[] shape = new long[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            // Small dimensions keep the data small; a zero dimension makes an empty tensor of any rank.
            shape[i] = data.consumeInt(0, 4);
            elements *= shape[i];
        }
        String name = data.consumeString(data.consumeInt(0, 64));
        int leading = data.consumeInt(0, 32);
        int trailing = data.consumeInt(0, 32);
        byte[] bytes = data.consumeBytes((int) Math.min(elements * dtype.elementSize(), 1 << 16));
        Tensor original;
        byte[] encoded;
        try {
            original = new Tensor(name, dtype, shape, ByteBuffer.wrap(bytes));
            encoded = TensorCodec.encode(original, leading, trailing);
        } catch (SecureChannelException refused) {
            // Too few bytes for the shape, or a name that is not valid Unicode: the sender's own error, typed.
            return;
        }
        assertThat(encoded.length).isEqualTo(leading + TensorCodec.encodedLength(original) + trailing);
        Tensor decoded = TensorCodec.decode(encoded, leading, encoded.length - leading - trailing);
        assertThat(decoded).isEqualTo(original);
        assertThat(TensorCodec.encodeHeader(decoded)).isEqualTo(TensorCodec.encodeHeader(original));
    }
}
