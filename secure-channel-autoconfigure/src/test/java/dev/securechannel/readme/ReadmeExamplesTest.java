package dev.securechannel.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md appears verbatim, up to indentation, in a compiled
 * source of this package, here or in secure-channel-micrometer's tests, so an example that
 * stops compiling fails the build and an edit to either side without the other does too.
 * The examples and the sample app use the public API only: nothing under
 * {@code dev.securechannel.internal}, which may change in any release.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");
    /** The Spring examples here; the plain-Java metrics example where no Spring is on the class path. */
    private static final List<Path> EXAMPLES = List.of(
            Path.of("src", "test", "java", "dev", "securechannel", "readme"),
            Path.of("..", "secure-channel-micrometer", "src", "test", "java", "dev", "securechannel", "readme"));
    private static final Path SAMPLE_APP_SOURCES = Path.of("..", "sample-inference-app", "src", "main", "java");
    /** The packages that are not API, named in an import or a qualified name. */
    private static final Pattern INTERNAL = Pattern.compile("\\bdev\\.securechannel\\.internal\\b");
    private static final Pattern JAVA_BLOCK = Pattern.compile("^[ \\t]*```java\\R(.*?)^[ \\t]*```", Pattern.MULTILINE | Pattern.DOTALL);

    @Test
    void everyJavaBlockOfTheReadmeIsCompiledHere() throws IOException {
        List<String> blocks = javaBlocks(Files.readString(README, StandardCharsets.UTF_8));
        List<List<String>> sources = new ArrayList<>();
        for (Path examples : EXAMPLES) {
            try (Stream<Path> files = Files.list(examples)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    sources.add(normalised(Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        }

        assertThat(blocks).as("java blocks in README.md").isNotEmpty();
        for (String block : blocks) {
            List<String> lines = normalised(block);
            assertThat(sources).as("a compiled source in %s holding README block:%n%s", EXAMPLES, block)
                    .anySatisfy(source -> assertThat(Collections.indexOfSubList(source, lines)).isNotNegative());
        }
    }

    @Test
    void noJavaBlockOfTheReadmeNamesAnInternalPackage() throws IOException {
        List<String> offenders = javaBlocks(Files.readString(README, StandardCharsets.UTF_8)).stream()
                .filter(block -> INTERNAL.matcher(block).find()).toList();

        assertThat(offenders).as("README java blocks naming dev.securechannel.internal").isEmpty();
    }

    /** The README quotes these sources in part, so they must be public-API code as a whole (their tests aside). */
    @Test
    void theReadmesExampleSourcesNameNoInternalPackage() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path examples : EXAMPLES) {
            offenders.addAll(linesNamingInternalPackages(examples, file -> !file.getFileName().toString().endsWith("Test.java")));
        }

        assertThat(offenders).as("example sources naming dev.securechannel.internal").isEmpty();
    }

    @Test
    void theSampleAppNamesNoInternalPackage() throws IOException {
        List<String> offenders = linesNamingInternalPackages(SAMPLE_APP_SOURCES, file -> true);

        assertThat(offenders).as("sample-inference-app main sources naming dev.securechannel.internal").isEmpty();
    }

    @Test
    void internalNamesAreFoundInImportsAndQualifiedNamesOnly() {
        assertThat(INTERNAL.matcher("import dev.securechannel.internal.connection.Connection;").find()).isTrue();
        assertThat(INTERNAL.matcher("import static dev.securechannel.internal.handshake.Fixtures.development;").find()).isTrue();
        assertThat(INTERNAL.matcher("var c = dev.securechannel.internal.connection.Connection.server(config);").find()).isTrue();
        assertThat(INTERNAL.matcher("reply(session, \"internal error\");").find()).isFalse();
        assertThat(INTERNAL.matcher("import dev.securechannel.internalized.Thing;").find()).isFalse();
    }

    @Test
    void blocksAreFoundUpToIndentationOnly() {
        List<String> blocks = javaBlocks("text\n```java\n  int a = 1;\n\n  int b = 2;\n```\nmore\n```yaml\nx: 1\n```\n");

        assertThat(blocks).singleElement().satisfies(block -> {
            assertThat(normalised(block)).containsExactly("int a = 1;", "", "int b = 2;");
            assertThat(Collections.indexOfSubList(normalised("class A {\n    int a = 1;\n\n    int b = 2;\n}"), normalised(block)))
                    .isEqualTo(1);
            assertThat(Collections.indexOfSubList(normalised("int a = 1;\nint b = 2;"), normalised(block))).isNegative();
        });
    }

    /** Every line, as {@code file:line: text}, of the Java files under {@code root} accepted by {@code include} that names an internal package. */
    private static List<String> linesNamingInternalPackages(Path root, Predicate<Path> include) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).filter(include).sorted().toList();
        }
        assertThat(files).as("Java sources under %s", root).isNotEmpty();
        List<String> offenders = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (INTERNAL.matcher(lines.get(i)).find()) {
                    offenders.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        return offenders;
    }

    private static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    /** The lines without leading or trailing white space; blank lines kept, since they separate code. */
    private static List<String> normalised(String text) {
        return text.strip().lines().map(String::strip).toList();
    }
}
