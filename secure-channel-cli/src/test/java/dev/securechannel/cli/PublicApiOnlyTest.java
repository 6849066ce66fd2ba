package dev.securechannel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tool is a client of the core's public API and nothing more: its main sources name no
 * type of {@code dev.securechannel.internal}, whose types may change in any release. Checked on
 * the sources, so that a fully qualified name is caught as well as an import.
 */
class PublicApiOnlyTest {

    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Pattern INTERNAL = Pattern.compile("\\bdev\\.securechannel\\.internal\\b");

    @Test
    void mainSourcesNameNoInternalPackage() throws IOException {
        List<String> uses = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (INTERNAL.matcher(lines.get(i)).find()) {
                        uses.add(MAIN_SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }

        assertThat(Files.isDirectory(MAIN_SOURCES.resolve("dev/securechannel/cli"))).as("the CLI's sources are at %s", MAIN_SOURCES).isTrue();
        assertThat(uses).as("uses of dev.securechannel.internal in the CLI; use the public API of dev.securechannel.*").isEmpty();
    }
}
