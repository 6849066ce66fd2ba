package dev.securechannel.internal.protocol;

import static dev.securechannel.internal.protocol.CodecTestSupport.assertRejected;
import static dev.securechannel.internal.protocol.CodecTestSupport.concat;
import static dev.securechannel.internal.protocol.CodecTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.protocol.FrameType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reassembly of frames from a byte stream (CONFORMANCE A2-A4, A8-A12 and A14 over a stream):
 * any split of the bytes yields the same frames, exactly once and in order; headers are
 * rejected as soon as their 13 bytes are present; and the buffer grows with the bytes that
 * arrive, never with a length an unauthenticated header declares.
 */
class FrameDecoderTest {

    private static final int MAX = FrameCodec.MAX_PAYLOAD_LENGTH;
    private static final int KIB = 1024;
    /** The decoder's documented headroom beyond the bytes received (FrameDecoder.RESERVE_HEADROOM). */
    private static final int HEADROOM = 64 * KIB;

    private static Frame frame(FrameType type, int flags, long sequence, int payloadLength) {
        byte[] payload = new byte[payloadLength];
        for (int i = 0; i < payloadLength; i++) {
            payload[i] = (byte) (i * 31 + sequence);
        }
        return new Frame(type, flags, sequence, payload);
    }

    // A2

    @Test
    void aFrameSplitAtEveryByteIntoTwoChunksIsEmittedOnceTheSecondChunkArrives() {
        Frame frame = frame(FrameType.DATA, FrameFlags.ENCRYPTED, 5, 100);
        byte[] wire = FrameCodec.encode(frame);

        for (int split = 0; split <= wire.length; split++) {
            FrameDecoder decoder = new FrameDecoder(MAX);
            decoder.feed(Arrays.copyOfRange(wire, 0, split));
            if (split < wire.length) {
                assertThat(decoder.next()).as("after %d of %d bytes", split, wire.length).isNull();
            }
            decoder.feed(Arrays.copyOfRange(wire, split, wire.length));

            assertThat(decoder.next()).as("split at %d", split).isEqualTo(frame);
            assertThat(decoder.next()).as("split at %d, second read", split).isNull();
            assertThat(decoder.bufferedBytes()).isZero();
        }
    }

    @Test
    void randomFramesSplitAtEveryByteIntoTwoChunksAreEmittedUnchanged() {
        Random random = ReplayableRandom.create("A2 two-chunk split", 0xA2_5EEDL);

        for (int i = 0; i < 60; i++) {
            Frame frame = CodecTestSupport.randomFrame(random, 0x10);
            byte[] wire = FrameCodec.encode(frame);
            for (int split = 0; split < wire.length; split++) {
                FrameDecoder decoder = new FrameDecoder(MAX);
                decoder.feed(wire, 0, split);
                assertThat(decoder.nextFrameBytes()).as("case %d after %d bytes", i, split).isNull();
                decoder.feed(wire, split, wire.length - split);

                assertThat(decoder.nextFrameBytes()).as("case %d split at %d", i, split).isEqualTo(wire);
            }
        }
    }

    @Test
    void aHeaderCutAfterFiveBytesNeedsMoreThenYieldsTheFrame() {
        Frame frame = frame(FrameType.DATA, 0, 1, 20);
        byte[] wire = FrameCodec.encode(frame);
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(wire, 0, 5);
        assertThat(decoder.next()).isNull();
        decoder.feed(wire, 5, wire.length - 5);

        assertThat(decoder.next()).isEqualTo(frame);
    }

    @Test
    void aPayloadCutAfterFiftyOfOneHundredBytesNeedsMoreThenYieldsTheFrame() {
        Frame frame = frame(FrameType.DATA, 0, 1, 100);
        byte[] wire = FrameCodec.encode(frame);
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(wire, 0, 13 + 50);
        assertThat(decoder.next()).isNull();
        decoder.feed(wire, 13 + 50, 50);

        assertThat(decoder.next()).isEqualTo(frame);
    }

    // A3

    @Test
    void aFrameFedOneByteAtATimeIsEmittedExactlyOnceAfterItsLastByte() {
        Random random = ReplayableRandom.create("A3 byte at a time", 0xA3_B17EL);

        for (int i = 0; i < 50; i++) {
            Frame frame = CodecTestSupport.randomFrame(random, 0x10);
            byte[] wire = FrameCodec.encode(frame);
            FrameDecoder decoder = new FrameDecoder(MAX);
            List<Integer> emittedAfter = new ArrayList<>();
            List<Frame> emitted = new ArrayList<>();

            for (int b = 0; b < wire.length; b++) {
                decoder.feed(wire, b, 1);
                Frame next = decoder.next();
                if (next != null) {
                    emittedAfter.add(b + 1);
                    emitted.add(next);
                }
            }

            assertThat(emittedAfter).as("case %d", i).containsExactly(wire.length);
            assertThat(emitted).as("case %d", i).containsExactly(frame);
        }
    }

    // A4

    @Test
    void severalFramesBackToBackInOneFeedAreAllEmittedInOrder() {
        List<Frame> frames = List.of(
                frame(FrameType.DATA, 0, 0, 10),
                frame(FrameType.DATA, FrameFlags.ENCRYPTED, 1, 26),
                frame(FrameType.HEARTBEAT, FrameFlags.ENCRYPTED, 2, 16),
                frame(FrameType.ERROR, FrameFlags.ENCRYPTED, 3, 24),
                frame(FrameType.SHUTDOWN, FrameFlags.ENCRYPTED, 4, 16));
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(concat(frames.stream().map(FrameCodec::encode).toArray(byte[][]::new)));

        assertThat(drain(decoder)).containsExactlyElementsOf(frames);
        assertThat(decoder.bufferedBytes()).isZero();
    }

    @Test
    void twoConcatenatedFramesInOneFeedAreBothEmitted() {
        Frame first = frame(FrameType.DATA, 0, 0, 3);
        Frame second = frame(FrameType.DATA, 0, 1, 0);
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(concat(FrameCodec.encode(first), FrameCodec.encode(second)));

        assertThat(decoder.next()).isEqualTo(first);
        assertThat(decoder.next()).isEqualTo(second);
        assertThat(decoder.next()).isNull();
    }

    @Test
    void aRandomStreamOfFramesCutIntoRandomChunksLosesNoFrame() {
        Random random = ReplayableRandom.create("A4 random stream", 0xA4_57EAL);

        for (int i = 0; i < 200; i++) {
            List<Frame> frames = new ArrayList<>();
            for (int f = random.nextInt(8); f >= 0; f--) {
                frames.add(CodecTestSupport.randomFrame(random, 0x10));
            }
            byte[] stream = concat(frames.stream().map(FrameCodec::encode).toArray(byte[][]::new));
            FrameDecoder decoder = new FrameDecoder(MAX);
            List<Frame> emitted = new ArrayList<>();

            for (int offset = 0; offset < stream.length; ) {
                int chunk = Math.min(stream.length - offset, 1 + random.nextInt(2048));
                decoder.feed(stream, offset, chunk);
                offset += chunk;
                emitted.addAll(drain(decoder));
            }

            assertThat(emitted).as("case %d", i).containsExactlyElementsOf(frames);
            assertThat(decoder.bufferedBytes()).isZero();
        }
    }

    @Test
    void nextFrameBytesReturnsTheWholeFrameHeaderIncluded() {
        byte[] wire = FrameCodec.encode(frame(FrameType.TENSOR, 0x03, 8, 40));
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(concat(wire, new byte[] {(byte) 0xCF}));

        assertThat(decoder.nextFrameBytes()).isEqualTo(wire);
        assertThat(decoder.bufferedBytes()).isEqualTo(1);
    }

    // A5-A8 over a stream: rejected as soon as the 13 header bytes are present.

    @Test
    void aBadMagicIsRejectedBeforeAnyPayloadArrives() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(0x0000, 4, 0x02, 0, 0, 1000));

        assertRejected(decoder::nextFrameBytes, FailureReason.INVALID_MAGIC);
    }

    @Test
    void anUnsupportedVersionIsRejectedBeforeAnyPayloadArrives() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(0xCF4D, 3, 0x02, 0, 0, 1000));

        assertRejected(decoder::nextFrameBytes, FailureReason.UNSUPPORTED_VERSION);
    }

    @Test
    void anUnknownMessageTypeIsRejectedBeforeAnyPayloadArrives() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(0xCF4D, 4, 0x09, 0, 0, 1000));

        assertRejected(decoder::nextFrameBytes, FailureReason.UNKNOWN_MESSAGE_TYPE);
    }

    @Test
    void payloadLengthFFFFFFFFIsRejectedWithoutReservingRoomForIt() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(FrameType.DATA, 0xFFFF_FFFFL));

        assertRejected(decoder::next, FailureReason.PAYLOAD_TOO_LARGE);
        assertThat(decoder.reservedCapacity()).isLessThanOrEqualTo(FrameCodec.HEADER_LENGTH + HEADROOM);
    }

    @Test
    void aRejectedDecoderKeepsRejectingInsteadOfResynchronising() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(0x0000, 4, 0x02, 0, 0, 0));
        assertRejected(decoder::next, FailureReason.INVALID_MAGIC);

        decoder.feed(FrameCodec.encode(frame(FrameType.DATA, 0, 0, 1)));

        assertRejected(decoder::next, FailureReason.INVALID_MAGIC);
    }

    // A9

    @Test
    void aDecoderRejectsAHeaderOverItsOwnCap() {
        FrameDecoder decoder = new FrameDecoder(1024);
        decoder.feed(header(FrameType.DATA, 1025));

        assertRejected(decoder::next, FailureReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void aDecoderAcceptsAFrameAtItsOwnCap() {
        Frame frame = frame(FrameType.DATA, 0, 0, 1024);
        FrameDecoder decoder = new FrameDecoder(1024);

        decoder.feed(FrameCodec.encode(frame));

        assertThat(decoder.next()).isEqualTo(frame);
    }

    @Test
    void aRaisedCapAppliesToTheNextHeader() {
        Frame frame = frame(FrameType.DATA, 0, 0, 2000);
        FrameDecoder decoder = new FrameDecoder(1024);

        decoder.setMaxPayloadLength(4096);
        decoder.feed(FrameCodec.encode(frame));

        assertThat(decoder.next()).isEqualTo(frame);
    }

    @Test
    void aLoweredCapAppliesToTheNextHeader() {
        FrameDecoder decoder = new FrameDecoder(4096);

        decoder.setMaxPayloadLength(1024);
        decoder.feed(header(FrameType.DATA, 2000));

        assertRejected(decoder::next, FailureReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void aCapChangeDoesNotApplyToAFrameWhoseHeaderWasAlreadyAccepted() {
        Frame frame = frame(FrameType.DATA, 0, 0, 2000);
        byte[] wire = FrameCodec.encode(frame);
        FrameDecoder decoder = new FrameDecoder(4096);
        decoder.feed(wire, 0, 100);
        assertThat(decoder.next()).isNull();

        decoder.setMaxPayloadLength(1024);
        decoder.feed(wire, 100, wire.length - 100);

        assertThat(decoder.next()).isEqualTo(frame);
    }

    @ParameterizedTest(name = "cap {0}")
    @ValueSource(ints = {-1, MAX + 1, Integer.MAX_VALUE})
    void aDecoderCannotBeGivenACapOutsideTheProtocolRange(int cap) {
        assertThatThrownBy(() -> new FrameDecoder(cap)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameDecoder(MAX).setMaxPayloadLength(cap)).isInstanceOf(IllegalArgumentException.class);
    }

    // A10

    @Test
    void aHeaderDeclaringEightMiBWithNoPayloadNeedsMoreAndReservesAtMostSixtyFourKiB() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(FrameType.DATA, 8L * KIB * KIB));

        assertThat(decoder.next()).isNull();
        assertThat(decoder.reservedCapacity()).isLessThanOrEqualTo(FrameCodec.HEADER_LENGTH + HEADROOM + 64);
    }

    @Test
    void whileAnEightMiBPayloadTricklesInTheReserveStaysWithinTwiceWhatArrivedPlusSixtyFourKiB() {
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(FrameType.DATA, 8L * KIB * KIB));
        long received = FrameCodec.HEADER_LENGTH;
        byte[] chunk = new byte[1000];

        for (int i = 0; i < 300; i++) {
            decoder.feed(chunk);
            received += chunk.length;

            assertThat(decoder.next()).isNull();
            assertThat((long) decoder.reservedCapacity()).as("after %d bytes", received)
                    .isLessThanOrEqualTo(2 * received + HEADROOM)
                    .isLessThan(8L * KIB * KIB);
        }
    }

    // A11

    @Test
    void aTwoHundredFiftySixKiBPayloadInThirtyTwoKiBChunksNeedsMoreSevenTimesThenYieldsOnTheEighth() {
        int payloadLength = 256 * KIB;
        FrameDecoder decoder = new FrameDecoder(MAX);
        decoder.feed(header(FrameType.DATA, payloadLength));
        assertThat(decoder.next()).isNull();
        byte[] chunk = new byte[32 * KIB];
        Arrays.fill(chunk, (byte) 0xAB);
        List<Integer> needMore = new ArrayList<>();
        Frame emitted = null;

        for (int i = 1; i <= 8; i++) {
            decoder.feed(chunk);
            assertThat(decoder.reservedCapacity()).isLessThanOrEqualTo(2 * (FrameCodec.HEADER_LENGTH + i * chunk.length) + HEADROOM);
            Frame next = decoder.next();
            if (next == null) {
                needMore.add(i);
            } else {
                assertThat(emitted).as("emitted twice").isNull();
                emitted = next;
                assertThat(i).as("chunk that completed the frame").isEqualTo(8);
            }
        }

        assertThat(needMore).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(emitted).isNotNull();
        assertThat(emitted.payload()).hasSize(payloadLength).containsOnly((byte) 0xAB);
    }

    // A12

    @Test
    void aNormalFourKiBFrameRoundTripsAndLeavesTheBufferEmpty() {
        Frame frame = frame(FrameType.DATA, 0, 42, 4 * KIB);
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(FrameCodec.encode(frame));

        assertThat(decoder.next()).isEqualTo(frame);
        assertThat(decoder.bufferedBytes()).isZero();
        assertThat(decoder.next()).isNull();
    }

    @Test
    void manySmallFramesInSequenceDoNotGrowTheBuffer() {
        FrameDecoder decoder = new FrameDecoder(MAX);

        for (int i = 0; i < 10_000; i++) {
            Frame frame = frame(FrameType.DATA, FrameFlags.ENCRYPTED, i, 100);
            decoder.feed(FrameCodec.encode(frame));
            assertThat(decoder.next()).isEqualTo(frame);
        }

        assertThat(decoder.reservedCapacity()).isLessThanOrEqualTo(FrameCodec.HEADER_LENGTH + 100 + HEADROOM);
    }

    // A14 over a stream

    @Test
    void aFrameOfExactlyThirtyTwoMiBIsEmittedOnceItsLastByteArrives() {
        byte[] payload = new byte[MAX];
        payload[0] = 7;
        payload[MAX - 1] = 9;
        byte[] wire = FrameCodec.encode(new Frame(FrameType.TENSOR, 0x03, 3, payload));
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(wire, 0, wire.length - 1);
        assertThat(decoder.nextFrameBytes()).isNull();
        decoder.feed(wire, wire.length - 1, 1);

        assertThat(decoder.nextFrameBytes()).isEqualTo(wire);
    }

    @Test
    void anEmptyPayloadFrameIsEmittedFromItsThirteenHeaderBytes() {
        Frame frame = new Frame(FrameType.HEARTBEAT, FrameFlags.ENCRYPTED, 0, new byte[0]);
        FrameDecoder decoder = new FrameDecoder(MAX);

        decoder.feed(FrameCodec.encode(frame));

        assertThat(decoder.next()).isEqualTo(frame);
    }

    private static List<Frame> drain(FrameDecoder decoder) {
        List<Frame> frames = new ArrayList<>();
        for (Frame next = decoder.next(); next != null; next = decoder.next()) {
            frames.add(next);
        }
        return frames;
    }
}
