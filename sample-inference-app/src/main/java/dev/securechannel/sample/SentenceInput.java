package dev.securechannel.sample;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one set of input rules for both transports: text is strict UTF-8 of at most
 * {@value #MAX_INPUT_BYTES} bytes, one sentence per line, blank lines ignored, at least one and
 * at most {@value #MAX_SENTENCES} sentences.
 */
public final class SentenceInput {

    /** The largest input, in UTF-8 bytes: a Data frame's payload, or all of a REST request's texts. */
    public static final int MAX_INPUT_BYTES = 8 * 1024;

    /** The most sentences in one request, so that one request cannot hold the model for long. */
    public static final int MAX_SENTENCES = 256;

    private SentenceInput() {
    }

    /**
     * The sentences in a Data frame's payload.
     *
     * @throws InvalidInputException when the payload is empty, too large, not valid UTF-8 or has too many lines
     */
    public static List<String> fromUtf8(byte[] payload) throws InvalidInputException {
        if (payload.length > MAX_INPUT_BYTES) {
            throw tooLarge(payload.length);
        }
        return fromText(decodeStrictly(payload));
    }

    /**
     * The sentences in {@code text}, one per line.
     *
     * @throws InvalidInputException when the text has no sentence, is too large or has too many lines
     */
    public static List<String> fromText(String text) throws InvalidInputException {
        checkSize(utf8Length(text));
        List<String> sentences = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            // Windows line ends would otherwise leave a carriage return in each sentence.
            String sentence = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!sentence.isBlank()) {
                sentences.add(sentence);
            }
        }
        return checked(sentences);
    }

    /**
     * Sentences given one by one (the REST endpoint's {@code texts}); each is embedded whole.
     *
     * @throws InvalidInputException when there is none, one is blank, or together they are too large or too many
     */
    public static List<String> fromList(List<String> texts) throws InvalidInputException {
        long bytes = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidInputException("empty input: text " + i + " is blank; send at least one non-blank sentence");
            }
            bytes += utf8Length(text);
        }
        checkSize(bytes);
        return checked(List.copyOf(texts));
    }

    /**
     * Decodes UTF-8, refusing malformed or unmappable bytes instead of replacing them, so a
     * client never gets an embedding of text it did not send.
     */
    static String decodeStrictly(byte[] bytes) throws InvalidInputException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("input is not valid UTF-8: send text encoded as UTF-8");
        }
    }

    private static List<String> checked(List<String> sentences) throws InvalidInputException {
        if (sentences.isEmpty()) {
            throw new InvalidInputException("empty input: send UTF-8 text, one sentence per line");
        }
        if (sentences.size() > MAX_SENTENCES) {
            throw new InvalidInputException("too many sentences: " + sentences.size() + ", at most " + MAX_SENTENCES
                    + " per request");
        }
        return sentences;
    }

    private static void checkSize(long bytes) throws InvalidInputException {
        if (bytes > MAX_INPUT_BYTES) {
            throw tooLarge(bytes);
        }
    }

    private static InvalidInputException tooLarge(long bytes) {
        return new InvalidInputException("input too large: " + bytes + " bytes, at most " + MAX_INPUT_BYTES
                + " bytes (8 KiB) of UTF-8 per request");
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
