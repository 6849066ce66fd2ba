package dev.securechannel.bench.report;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The capacity figures for the report's "Capacity" section: the Markdown section that
 * {@code bench/run-capacity.sh} ({@code dev.securechannel.bench.capacity.CapacityRun}) writes to
 * {@code bench/target/capacity/capacity.md}, taken over as it is. The file starts with the
 * heading {@code ## Capacity}, followed by a paragraph on the machine and {@code ###}
 * sub-sections of tables. The report gives the section its own numbered heading at the same
 * level, so the file's heading is dropped and its sub-headings keep their level; a heading of
 * level 1 or 2 inside the body is lowered to level 3, so it cannot end the report's section.
 *
 * @param fileName the file's name, for the report's list of inputs
 * @param body     the section without its {@code ## Capacity} heading: the paragraph and tables
 */
public record CapacitySection(String fileName, String body) {

    /** The heading the capacity run's section starts with. */
    static final String HEADING = "## Capacity";

    private static final Pattern TOP_HEADING = Pattern.compile("^#{1,2}(?= )");

    /**
     * Reads the file; null when it does not exist.
     *
     * @throws IOException when it cannot be read, is empty or not UTF-8 text, does not start with {@value #HEADING} or holds no table
     */
    public static @Nullable CapacitySection read(@Nullable Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            // The bare exception often says no more than the path (a directory, no permission).
            throw new IOException(file + " cannot be read: " + e, e);
        }
        if (text.isBlank()) {
            throw new IOException(file + " is empty");
        }
        List<String> lines = List.of(text.replace("\r\n", "\n").strip().split("\n", -1));
        if (!lines.get(0).strip().equals(HEADING)) {
            throw new IOException(file + " is not a capacity section: it does not start with \"" + HEADING + "\""
                    + " (bench/run-capacity.sh writes it)");
        }
        List<String> body = new ArrayList<>();
        boolean table = false;
        boolean fenced = false;
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            table |= !fenced && line.startsWith("|");
            body.add(fenced ? line : TOP_HEADING.matcher(line).replaceFirst(Matcher.quoteReplacement("###")));
        }
        if (!table) {
            throw new IOException(file + " holds no capacity tables");
        }
        return new CapacitySection(file.getFileName().toString(), String.join("\n", body).strip());
    }
}
