package dev.securechannel.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The input rules shared by the secure channel and the REST endpoint. */
class SentenceInputTest {

    @Test
    void oneLineIsOneSentence() throws Exception {
        assertThat(SentenceInput.fromUtf8(utf8("Hello, world."))).containsExactly("Hello, world.");
    }

    @Test
    void eachNonBlankLineIsASentenceAndCarriageReturnsAreDropped() throws Exception {
        assertThat(SentenceInput.fromUtf8(utf8("one\r\n\n  \ntwo\nthree\r\n"))).containsExactly("one", "two", "three");
    }

    @Test
    void multiByteTextIsKept() throws Exception {
        assertThat(SentenceInput.fromUtf8(utf8("Grüße aus Zürich 🙂"))).containsExactly("Grüße aus Zürich 🙂");
    }

    @Test
    void emptyAndBlankInputAreRefused() {
        assertThatThrownBy(() -> SentenceInput.fromUtf8(new byte[0])).hasMessageContaining("empty input");
        assertThatThrownBy(() -> SentenceInput.fromUtf8(utf8("\n \r\n\t"))).hasMessageContaining("empty input");
        assertThatThrownBy(() -> SentenceInput.fromList(List.of())).hasMessageContaining("empty input");
    }

    @Test
    void malformedUtf8IsRefusedRatherThanReplaced() {
        byte[][] malformed = {
            {(byte) 0xFF},                                   // never valid
            {'a', (byte) 0xC3},                              // truncated sequence
            {(byte) 0xC0, (byte) 0xAF},                      // overlong encoding of '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},         // an encoded surrogate (CESU-8)
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        };
        for (byte[] bytes : malformed) {
            assertThatThrownBy(() -> SentenceInput.fromUtf8(bytes)).as(Arrays.toString(bytes))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid UTF-8");
        }
    }

    @Test
    void eightKiBIsTheLimitInUtf8Bytes() throws Exception {
        assertThat(SentenceInput.fromUtf8(utf8("x".repeat(8192)))).hasSize(1);
        assertThatThrownBy(() -> SentenceInput.fromUtf8(utf8("x".repeat(8193)))).hasMessageContaining("too large");
        // 4,097 two-byte characters are 8,194 bytes, though only 4,097 chars.
        assertThatThrownBy(() -> SentenceInput.fromText("é".repeat(4097))).hasMessageContaining("8194 bytes");
        assertThatThrownBy(() -> SentenceInput.fromList(List.of("🙂".repeat(2048), "a"))).hasMessageContaining("8193 bytes");
    }

    @Test
    void atMost256SentencesPerRequest() throws Exception {
        assertThat(SentenceInput.fromText("s\n".repeat(256))).hasSize(256);
        assertThatThrownBy(() -> SentenceInput.fromText("s\n".repeat(257))).hasMessageContaining("too many sentences");
    }

    @Test
    void aListIsTakenAsGivenButBlankEntriesAreRefused() throws Exception {
        assertThat(SentenceInput.fromList(List.of("a\nb", "c"))).containsExactly("a\nb", "c");
        assertThatThrownBy(() -> SentenceInput.fromList(List.of("a", ""))).hasMessageContaining("text 1 is blank");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
