package dev.securechannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import org.junit.jupiter.api.Test;

/** Each message names the frame type that carries it, so no caller has to switch on its class. */
class MessageTest {

    @Test
    void eachMessageKnowsItsFrameType() {
        Tensor tensor = Tensor.of("t", DType.U8, new long[] {1}, new byte[] {1});
        assertThat(new Message.Data(new byte[0]).frameType()).isEqualTo(FrameType.DATA);
        assertThat(new Message.TensorMessage(tensor).frameType()).isEqualTo(FrameType.TENSOR);
        assertThat(new Message.Heartbeat().frameType()).isEqualTo(FrameType.HEARTBEAT);
        assertThat(new Message.Error("no").frameType()).isEqualTo(FrameType.ERROR);
        assertThat(new Message.Shutdown().frameType()).isEqualTo(FrameType.SHUTDOWN);
    }
}
