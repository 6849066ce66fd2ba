package dev.securechannel.autoconfigure.sevsnp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.sevsnp.SnpPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The policy properties leave their defaults to the production policy and only document them,
 * in the configuration metadata IDEs show; this keeps each documented default true.
 */
class SevSnpPropertiesTest {

    /** How a description documents a default: its sentence "Unset: VALUE." */
    private static final Pattern DOCUMENTED_DEFAULT = Pattern.compile("Unset: ([^.()]+)\\.");

    @Test
    void everyDefaultTheMetadataDocumentsIsTheProductionPolicys() throws IOException {
        Map<String, String> documented = documentedDefaults();

        assertThat(documented).containsOnlyKeys("minimum-report-version", "minimum-guest-svn", "accepted-products", "allow-debug",
                "allow-migration-agent", "required-vmpl", "allow-any-vmpl", "check-tcb-binding", "allow-masked-chip-id", "require-crl",
                "require-committed-tcb-equals-current");
        SevSnpProperties setToTheirDefaults = new Binder(new MapConfigurationPropertySource(prefixed(documented)))
                .bind(SevSnpProperties.PREFIX, SevSnpProperties.class).get();
        assertThat(setToTheirDefaults.policy()).hasToString(SnpPolicy.production().toString());
    }

    @Test
    void noPolicyPropertySetIsTheProductionPolicy() {
        assertThat(new SevSnpProperties().policy()).hasToString(SnpPolicy.production().toString());
    }

    /** The documented default of each sev-snp property, by its name under the prefix, from this module's generated metadata. */
    private static Map<String, String> documentedDefaults() throws IOException {
        Map<String, String> defaults = new TreeMap<>();
        for (URL metadata : Collections.list(SevSnpProperties.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = metadata.openStream()) {
                for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
                    String name = property.path("name").asString();
                    Matcher documentedDefault = DOCUMENTED_DEFAULT.matcher(property.path("description").asString());
                    if (name.startsWith(SevSnpProperties.PREFIX + ".") && documentedDefault.find()) {
                        defaults.put(name.substring(SevSnpProperties.PREFIX.length() + 1), documentedDefault.group(1).strip());
                    }
                }
            }
        }
        return defaults;
    }

    private static Map<String, String> prefixed(Map<String, String> properties) {
        Map<String, String> prefixed = new TreeMap<>();
        properties.forEach((name, value) -> prefixed.put(SevSnpProperties.PREFIX + "." + name, value));
        return prefixed;
    }
}
