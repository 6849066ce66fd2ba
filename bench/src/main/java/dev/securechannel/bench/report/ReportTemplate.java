package dev.securechannel.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of the Markdown report: a text of named fragments, each filled with values the
 * generator computes. The syntax, on purpose the smallest that does the job:
 * <ul>
 *   <li>A line {@code <!-- fragment: name -->} starts the fragment {@code name}; it runs to the
 *       next such line. Text before the first one is a note to whoever edits the file, never
 *       output.</li>
 *   <li>{@code {{name}}} is a placeholder: a letter, then letters and digits. Its value is
 *       inserted as given (a value is never searched for placeholders itself).</li>
 *   <li>A line that held placeholders and is empty once they are filled is dropped, so an
 *       optional row leaves no gap in a table.</li>
 *   <li>Runs of blank lines become one blank line, and a filled fragment neither starts nor
 *       ends with a line break, so optional paragraphs can be surrounded by blank lines without
 *       doubling them when they are empty.</li>
 * </ul>
 * Mismatches fail, naming what is wrong: a fragment that does not exist, a placeholder left
 * without a value, a value for a placeholder the fragment does not have, and, when the text is
 * read, a malformed placeholder or fragment line, or a fragment defined twice. So the code and
 * the template cannot drift apart silently.
 */
final class ReportTemplate {

    private static final Pattern FRAGMENT_MARKER = Pattern.compile("^<!-- fragment: ([a-z0-9-]+) -->$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9]*)}}");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");
    private static final Pattern OUTER_LINE_BREAKS = Pattern.compile("\\A\n+|\n+\\z");

    private final Map<String, String> fragments;
    private final Set<String> used = new LinkedHashSet<>();

    private ReportTemplate(Map<String, String> fragments) {
        this.fragments = fragments;
    }

    /** Reads a template from the class path, relative to this class. */
    static ReportTemplate load(String resource) {
        try (InputStream in = ReportTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("report template " + resource + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report template " + resource, e);
        }
    }

    /**
     * Splits {@code text} into its fragments.
     *
     * @throws IllegalArgumentException for a fragment defined twice, or text that looks like a fragment line or a
     *                                  placeholder and is not one
     */
    static ReportTemplate parse(String text) {
        Map<String, String> fragments = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            Matcher marker = FRAGMENT_MARKER.matcher(line);
            if (marker.matches()) {
                if (name != null) {
                    fragments.put(name, body.toString());
                }
                name = marker.group(1);
                if (fragments.containsKey(name)) {
                    throw new IllegalArgumentException("report template: fragment '" + name + "' is defined twice");
                }
                body.setLength(0);
            } else if (line.startsWith("<!-- fragment")) {
                throw new IllegalArgumentException("report template: malformed fragment line (want <!-- fragment: name -->): " + line);
            } else if (name != null) {
                checkPlaceholders(name, line);
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            fragments.put(name, body.toString());
        }
        return new ReportTemplate(Collections.unmodifiableMap(fragments));
    }

    /** Braces that do not form a well-made placeholder are a typo to report, not text to print. */
    private static void checkPlaceholders(String fragment, String line) {
        String rest = PLACEHOLDER.matcher(line).replaceAll("");
        if (rest.contains("{{") || rest.contains("}}")) {
            throw new IllegalArgumentException("report template: fragment '" + fragment + "' has a malformed placeholder in: " + line);
        }
    }

    /**
     * Starts filling a fragment.
     *
     * @throws IllegalArgumentException when there is no such fragment
     */
    Fill fragment(String name) {
        String body = fragments.get(name);
        if (body == null) {
            throw new IllegalArgumentException("report template has no fragment '" + name + "'");
        }
        used.add(name);
        return new Fill(name, body);
    }

    /** The fragments nobody asked for since this template was read: prose the report no longer shows. */
    Set<String> unusedFragments() {
        Set<String> unused = new TreeSet<>(fragments.keySet());
        unused.removeAll(used);
        return unused;
    }

    /** One fragment being filled: every placeholder needs a value, every value a placeholder. */
    static final class Fill {

        private final String fragment;
        private final String body;
        private final Map<String, String> values = new LinkedHashMap<>();

        private Fill(String fragment, String body) {
            this.fragment = fragment;
            this.body = body;
        }

        /** Gives {@code {{name}}} its value. */
        Fill with(String name, String value) {
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("report template fragment '" + fragment + "': {{" + name + "}} given twice");
            }
            return this;
        }

        /**
         * The filled fragment.
         *
         * @throws IllegalArgumentException naming a placeholder without a value, or a value without a placeholder
         */
        String render() {
            Set<String> unfilled = new TreeSet<>();
            Set<String> unplaced = new TreeSet<>(values.keySet());
            StringBuilder out = new StringBuilder();
            for (String line : body.split("\n", -1)) {
                String filled = PLACEHOLDER.matcher(line).replaceAll(placeholder -> {
                    String name = placeholder.group(1);
                    unplaced.remove(name);
                    if (!values.containsKey(name)) {
                        unfilled.add(name);
                    }
                    return Matcher.quoteReplacement(values.getOrDefault(name, ""));
                });
                if (!filled.isEmpty() || line.isEmpty()) {
                    out.append(filled).append('\n');
                }
            }
            if (!unfilled.isEmpty()) {
                throw new IllegalArgumentException("report template fragment '" + fragment + "' has no value for " + braced(unfilled));
            }
            if (!unplaced.isEmpty()) {
                throw new IllegalArgumentException("report template fragment '" + fragment + "' has no placeholder " + braced(unplaced)
                        + " for the value given");
            }
            return OUTER_LINE_BREAKS.matcher(BLANK_LINES.matcher(out).replaceAll("\n\n")).replaceAll("");
        }

        private static String braced(Set<String> names) {
            return String.join(", ", names.stream().map(name -> "{{" + name + "}}").toList());
        }
    }
}
