package dev.securechannel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's public API is a deliberate list: every public type outside
 * {@code dev.securechannel.internal} is named in {@code public-api.txt} beside this test, so
 * widening the API is a visible change to that file in review. Internal types do not leak
 * through the signatures of public ones, and at most half of the core's types are public.
 */
class PublicApiTest {

    private static final String INTERNAL = "dev.securechannel.internal.";
    private static final Path EXPECTED = Path.of("src/test/resources/dev/securechannel/public-api.txt");

    @Test
    void theExportedTypesAreExactlyTheListedOnes() throws Exception {
        List<String> exported = topLevelTypes().stream().filter(PublicApiTest::exported).map(Class::getName).sorted().toList();
        List<String> listed = Files.readAllLines(EXPECTED, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).sorted().toList();

        assertThat(exported)
                .as("public types outside %s; if the change is deliberate, update %s", INTERNAL, EXPECTED)
                .containsExactlyElementsOf(listed);
    }

    @Test
    void atMostHalfOfTheCoresTypesArePublicApi() throws Exception {
        List<Class<?>> all = topLevelTypes();
        long exported = all.stream().filter(PublicApiTest::exported).count();

        assertThat(exported * 2).as("%d of %d types exported", exported, all.size()).isLessThanOrEqualTo(all.size());
    }

    @Test
    void publicSignaturesNameNoInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : topLevelTypes()) {
            if (exported(type)) {
                collectLeaks(type, leaks);
            }
        }

        assertThat(leaks).as("public members of API types that expose internal types").isEmpty();
    }

    private static void collectLeaks(Class<?> type, List<String> leaks) {
        Stream.concat(Stream.of(type.getGenericSuperclass()), Arrays.stream(type.getGenericInterfaces()))
                .filter(Objects::nonNull).filter(PublicApiTest::internal)
                .forEach(supertype -> leaks.add(type.getName() + " extends " + supertype.getTypeName()));
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && internal(field.getGenericType())) {
                leaks.add(type.getName() + "." + field.getName());
            }
        }
        List<Executable> members = new ArrayList<>(Arrays.asList(type.getDeclaredMethods()));
        members.addAll(Arrays.asList(type.getDeclaredConstructors()));
        for (Executable member : members) {
            if (!visible(member.getModifiers()) || member.isSynthetic()) {
                continue;
            }
            List<Type> named = new ArrayList<>(Arrays.asList(member.getGenericParameterTypes()));
            named.addAll(Arrays.asList(member.getGenericExceptionTypes()));
            if (member instanceof Method method) {
                named.add(method.getGenericReturnType());
            }
            if (named.stream().anyMatch(PublicApiTest::internal)) {
                leaks.add(type.getName() + "." + member.getName() + named.stream().map(Type::getTypeName)
                        .collect(Collectors.joining(", ", "(", ")")));
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (visible(nested.getModifiers())) {
                collectLeaks(nested, leaks);
            }
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean internal(Type type) {
        return type.getTypeName().contains(INTERNAL);
    }

    private static boolean exported(Class<?> type) {
        return Modifier.isPublic(type.getModifiers()) && !type.getName().startsWith(INTERNAL);
    }

    /** Every top-level type compiled from the core's main sources. */
    private static List<Class<?>> topLevelTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(FailureReason.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                if (!name.contains("$") && !name.endsWith("package-info")) {
                    types.add(Class.forName(name, false, PublicApiTest.class.getClassLoader()));
                }
            }
        }
        return types;
    }
}
