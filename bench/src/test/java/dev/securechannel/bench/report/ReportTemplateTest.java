package dev.securechannel.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template syntax ({@link ReportTemplate}) on small texts, and the report's own template
 * against the generator: every fragment it defines is used, and every mismatch fails naming it.
 */
class ReportTemplateTest {

    private static final String GENERATED_AT = "2026-01-01T00:30:00Z";

    @TempDir
    Path temp;

    @Test
    void placeholdersAreFilledAndValuesAreNotSearchedForPlaceholders() {
        ReportTemplate template = ReportTemplate.parse("""
                Nothing before the first fragment is output.
                <!-- fragment: greeting -->
                Hello {{name}}, {{count}} new {{what}}.
                """);

        assertThat(template.fragment("greeting").with("name", "{{count}}").with("count", "3").with("what", "frames").render())
                .isEqualTo("Hello {{count}}, 3 new frames.");
    }

    @Test
    void aLineLeftEmptyByItsPlaceholdersIsDroppedSoTablesKeepNoGap() {
        ReportTemplate template = ReportTemplate.parse("""
                <!-- fragment: table -->
                | A | B |
                |---|---|
                {{rows}}
                | last | row |
                """);

        assertThat(template.fragment("table").with("rows", "").render()).isEqualTo("| A | B |\n|---|---|\n| last | row |");
        assertThat(template.fragment("table").with("rows", "| 1 | 2 |\n| 3 | 4 |").render())
                .isEqualTo("| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| last | row |");
    }

    @Test
    void blankLinesCollapseAndAFilledFragmentHasNoOuterLineBreaks() {
        ReportTemplate template = ReportTemplate.parse("""
                <!-- fragment: section -->

                ## Title

                {{optional}}

                {{alsoOptional}}

                Last paragraph.


                <!-- fragment: next -->
                """);

        assertThat(template.fragment("section").with("optional", "").with("alsoOptional", "").render())
                .isEqualTo("## Title\n\nLast paragraph.");
        assertThat(template.fragment("section").with("optional", "> Note.").with("alsoOptional", "").render())
                .isEqualTo("## Title\n\n> Note.\n\nLast paragraph.");
        assertThat(template.fragment("next").render()).isEmpty();
    }

    @Test
    void aPlaceholderWithoutAValueFailsNamingIt() {
        ReportTemplate template = ReportTemplate.parse("<!-- fragment: row -->\n| {{label}} | {{value}} | {{unit}} |\n");

        assertThatThrownBy(() -> template.fragment("row").with("label", "Handshake").render())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'row'").hasMessageContaining("{{unit}}").hasMessageContaining("{{value}}");
    }

    @Test
    void aValueWithoutAPlaceholderFailsNamingIt() {
        ReportTemplate template = ReportTemplate.parse("<!-- fragment: row -->\n| {{label}} |\n");

        assertThatThrownBy(() -> template.fragment("row").with("label", "x").with("lable", "y").render())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'row'").hasMessageContaining("{{lable}}");
        assertThatThrownBy(() -> template.fragment("row").with("label", "x").with("label", "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{label}} given twice");
    }

    @Test
    void anUnknownFragmentFailsNamingIt() {
        ReportTemplate template = ReportTemplate.parse("<!-- fragment: one -->\ntext\n");

        assertThatThrownBy(() -> template.fragment("two")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'two'");
    }

    @Test
    void malformedPlaceholdersAndTwiceDefinedFragmentsFailWhenTheTextIsRead() {
        assertThatThrownBy(() -> ReportTemplate.parse("<!-- fragment: one -->\nMet {{ met }} targets\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'one'").hasMessageContaining("{{ met }}");
        assertThatThrownBy(() -> ReportTemplate.parse("<!-- fragment: one -->\n{{first-name}}\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{first-name}}");
        assertThatThrownBy(() -> ReportTemplate.parse("<!-- fragment: one -->\nunclosed {{name\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed {{name");
        assertThatThrownBy(() -> ReportTemplate.parse("<!-- fragment: one -->\na\n<!-- fragment: one -->\nb\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'one' is defined twice");
        assertThatThrownBy(() -> ReportTemplate.parse("<!-- fragment: one -->\na\n<!-- fragment: Two Words -->\nb\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<!-- fragment: Two Words -->");
    }

    @Test
    void aMissingTemplateResourceFailsNamingIt() {
        assertThatThrownBy(() -> ReportTemplate.load("no-such.md.template"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such.md.template");
    }

    @Test
    void theReportFailsLoudlyWhenItsTemplateLacksAPlaceholderTheCodeFills() throws Exception {
        ReportModel model = TransportReport.build(TransportReport.Options.parse("--results-dir", fixtures().toString(),
                "--inference", fixtures().resolve("minilm-inference.json").toString()), GENERATED_AT);
        String words = new String(MarkdownReport.class.getResourceAsStream(MarkdownReport.TEMPLATE).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(words).contains("| Commit | {{commit}} |");
        ReportTemplate withoutCommit = ReportTemplate.parse(words.replace("| Commit | {{commit}} |", "| Commit | abc |"));
        assertThatThrownBy(() -> MarkdownReport.render(model, withoutCommit))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'report'").hasMessageContaining("{{commit}}");
        ReportTemplate withTypo = ReportTemplate.parse(words.replace("{{commit}}", "{{comit}}"));
        assertThatThrownBy(() -> MarkdownReport.render(model, withTypo))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{comit}}");
    }

    /**
     * Renders the fixtures in every shape the report knows (full, empty, quick with a skipped
     * input and no inference or capacity, a failed reference harness, streamed bursts, WebSocket results
     * alone) with one template, which then must have had each of its fragments asked for: a
     * fragment the code no longer uses is prose describing something the report does not show.
     */
    @Test
    void everyFragmentOfTheReportTemplateIsUsed() throws Exception {
        ReportTemplate template = ReportTemplate.load(MarkdownReport.TEMPLATE);
        Path fixtures = fixtures();

        render(template, fixtures, fixtures.resolve("minilm-inference.json"), fixtures.resolve("capacity.md"));
        render(template, Files.createDirectory(temp.resolve("empty")), temp.resolve("absent.json"), temp.resolve("absent.md"));

        Path quick = Files.createDirectory(temp.resolve("quick"));
        Files.copy(fixtures.resolve("jmh-25-websocket.json"), quick.resolve("jmh-25-websocket.json"));
        Files.copy(fixtures.resolve("reference/round-1-ours-streaming.json"), quick.resolve("jmh-25-streaming.json"));
        Files.writeString(quick.resolve("jmh-25-truncated.json"), "[{\"benchmark\": ");
        Files.writeString(quick.resolve("run.json"), "{\"profile\": \"quick\", \"notes\": \"groups with errors: tls\"}");
        Path quickReference = Files.createDirectory(quick.resolve("reference"));
        Files.writeString(quickReference.resolve("round-1-reference.txt"), "FAIL: handshake: connection reset\n");
        Files.copy(fixtures.resolve("reference/round-1-ours-handshake-roundtrip.json"),
                quickReference.resolve("round-1-ours-handshake-roundtrip.json"));
        String markdown = render(template, quick, quick.resolve("absent.json"), quick.resolve("absent.md"));

        assertThat(markdown).contains("> **Quick run**", "> Skipped input: jmh-25-truncated.json", "Streaming: the same bursts",
                "In-memory round trips: not measured.", "> Not measured: the reference harness produced no figures");
        assertThat(template.unusedFragments()).isEmpty();
    }

    private static String render(ReportTemplate template, Path resultsDir, Path inference, Path capacity) throws Exception {
        ReportModel model = TransportReport.build(TransportReport.Options.parse("--results-dir", resultsDir.toString(),
                "--inference", inference.toString(), "--capacity", capacity.toString()), GENERATED_AT);
        return MarkdownReport.render(model, template);
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(ReportTemplateTest.class.getResource("/report-fixtures").toURI());
    }
}
