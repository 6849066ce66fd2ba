package dev.securechannel.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.protocol.FrameType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backends are interchangeable on the wire: a frame sealed by one opens with every other,
 * for both record algorithms, and all of them seal the same frame to the same bytes.
 */
class CrossBackendRecordTest {

    private static final byte[] KEY = range(0x10, 32);
    private static final byte[] SESSION_ID = range(0xC0, 32);
    private static final byte[] PLAINTEXT = "one frame, three implementations".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> sealerOpenerAndAlgorithm() {
        List<CryptoBackendChoice> loadable = CryptoBackends.loadable();
        return Arrays.stream(RecordAlgorithm.values()).flatMap(algorithm -> loadable.stream()
                .flatMap(sealer -> loadable.stream().filter(opener -> opener != sealer)
                        .map(opener -> Arguments.of(sealer, opener, algorithm))));
    }

    @ParameterizedTest(name = "sealed by {0}, opened by {1}, {2}")
    @MethodSource("sealerOpenerAndAlgorithm")
    void frameSealedByOneBackendOpensWithAnother(CryptoBackendChoice sealer, CryptoBackendChoice opener, RecordAlgorithm algorithm) {
        SealingContext sealing = new SealingContext(CryptoBackends.select(sealer), algorithm, KEY, SESSION_ID);
        OpeningContext opening = new OpeningContext(CryptoBackends.select(opener), algorithm, KEY, SESSION_ID);

        for (int i = 0; i < 3; i++) {
            byte[] frame = sealing.seal(FrameType.DATA, PLAINTEXT);
            assertThat(opening.open(frame, FrameCodec.decodeMessageHeader(frame, FrameCodec.MAX_PAYLOAD_LENGTH))).isEqualTo(PLAINTEXT);
        }
    }

    @ParameterizedTest(name = "sealed by {0}, opened by {1}, {2}")
    @MethodSource("sealerOpenerAndAlgorithm")
    void bothSealTheSameFrameToTheSameBytes(CryptoBackendChoice first, CryptoBackendChoice second, RecordAlgorithm algorithm) {
        byte[] one = new SealingContext(CryptoBackends.select(first), algorithm, KEY, SESSION_ID).seal(FrameType.DATA, PLAINTEXT);
        byte[] other = new SealingContext(CryptoBackends.select(second), algorithm, KEY, SESSION_ID).seal(FrameType.DATA, PLAINTEXT);

        assertThat(one).isEqualTo(other);
    }

    private static byte[] range(int first, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }
}
