package dev.securechannel.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The template syntax ({@link ReportTemplate}) on small texts. */
class ReportTemplateTest {

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
    }

    @Test
    void aMissingTemplateResourceFailsNamingIt() {
        assertThatThrownBy(() -> ReportTemplate.load("no-such.md.template"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such.md.template");
    }
}
