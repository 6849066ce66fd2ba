package dev.securechannel.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code --name=value} arguments of the bench's command-line runs (soak, capacity), checked
 * against the names a run knows; every refusal is an {@link IllegalArgumentException} whose
 * message ends with the run's usage.
 */
public final class NamedArguments {

    private final Map<String, String> values;
    private final String usage;

    private NamedArguments(Map<String, String> values, String usage) {
        this.values = values;
        this.usage = usage;
    }

    /**
     * @param names the option names the run knows, without {@code --}
     * @param usage appended to every error message, for example {@code "; options: --duration=10m ..."}
     */
    public static NamedArguments parse(String[] args, List<String> names, String usage) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg + usage);
            }
            String name = arg.substring(2, equals);
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + usage);
            }
            values.put(name, arg.substring(equals + 1));
        }
        return new NamedArguments(values, usage);
    }

    /** The value given for {@code name}, read by {@code parse}, or {@code fallback} when not given. */
    public <T> T get(String name, T fallback, Function<String, T> parse) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage() + usage);
        }
    }
}
