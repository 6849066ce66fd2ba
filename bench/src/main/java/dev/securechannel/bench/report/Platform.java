package dev.securechannel.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the figures depend on below the code: the CPU's vector and crypto extensions and, for
 * each JDK the run used, its version, vendor and crypto intrinsic flags.
 *
 * <p>The CPU flags come from the run description ({@link RunDescription#cpuFlags}: the
 * {@code flags} line of {@code /proc/cpuinfo}, recorded by {@code bench/run-report.sh}). The
 * JDKs come from {@code jdk-flags-<feature>.txt} files in the results directory, each the output
 * of {@code java -XshowSettings:properties -XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal
 * -version} (the intrinsic switches are diagnostic flags: without the unlock they are not
 * printed).
 *
 * @param cpuExtensions the extensions of {@link #CPU_EXTENSIONS} the CPU has, in that order
 * @param cpuFlagsKnown whether the CPU's flags were read at all
 * @param jdks          one entry per JDK, by feature release, newest first
 */
public record Platform(List<String> cpuExtensions, boolean cpuFlagsKnown, List<JdkInfo> jdks) {

    /** The /proc/cpuinfo flags the report names, when present: vector widths, then crypto. */
    public static final List<String> CPU_EXTENSIONS = List.of(
            "avx", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512ifma", "avx512vbmi", "avx512_vbmi2",
            "aes", "vaes", "pclmulqdq", "vpclmulqdq", "gfni", "sha_ni");

    /** The HotSpot flags the report names for each JDK; a JDK that lacks one says "not in this JDK". */
    public static final List<String> INTRINSIC_FLAGS = List.of(
            "UseChaCha20Intrinsics", "UsePoly1305Intrinsics", "UseAESIntrinsics", "UseAESCTRIntrinsics",
            "UseGHASHIntrinsics", "UseSHA256Intrinsics", "UseAVX");

    /** Flags whose names mention AES-GCM are listed too, whatever a JDK calls them. */
    private static final Pattern AES_GCM_FLAG = Pattern.compile("(?i)^Use\\w*AESGCM\\w*$|^Use\\w*GCM\\w*Intrinsics$");

    /** {@code bool UseAESIntrinsics = true {diagnostic} {default}} and the like. */
    private static final Pattern FLAG_LINE = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)");
    private static final Pattern PROPERTY_LINE = Pattern.compile("^\\s+([\\w.]+) = (.*)$");
    private static final Pattern FLAGS_FILE = Pattern.compile("jdk-flags-(\\d+)\\.txt");
    /** The line {@code CryptoBackendInfo} appends to a JDK's flags file. */
    private static final String BACKEND_PROPERTY = "securechannel.crypto.backend";

    /**
     * One JDK of the run.
     *
     * @param feature    the feature release (25, 17)
     * @param version    {@code java.runtime.version}, or "unknown"
     * @param vendor     {@code java.vendor} (with {@code java.vendor.version} when it says more), or "unknown"
     * @param intrinsics every flag of {@link #INTRINSIC_FLAGS} and each AES-GCM flag found: its value, or null when this JDK lacks it
     * @param cryptoBackend what the core's {@code auto} backend selected on this JDK (per operation), or "not recorded"
     */
    public record JdkInfo(int feature, String version, String vendor, Map<String, @Nullable String> intrinsics,
                          String cryptoBackend) {

        /** The intrinsics as the report writes them: {@code UseAESIntrinsics=true, UseChaCha20Intrinsics: not in this JDK}. */
        public String intrinsicsSummary() {
            List<String> parts = new ArrayList<>();
            intrinsics.forEach((flag, value) -> parts.add(value == null ? flag + ": not in this JDK" : flag + "=" + value));
            if (intrinsics.keySet().stream().noneMatch(flag -> AES_GCM_FLAG.matcher(flag).matches())) {
                parts.add("no AES-GCM flag in this JDK (its AES-GCM intrinsic follows UseAESIntrinsics and UseGHASHIntrinsics)");
            }
            return String.join(", ", parts);
        }
    }

    /** The extensions in words: {@code avx2, aes, vaes, ...; no AVX-512}. */
    public String cpuExtensionsSummary() {
        if (!cpuFlagsKnown) {
            return "not recorded";
        }
        String listed = cpuExtensions.isEmpty() ? "none of " + String.join(", ", CPU_EXTENSIONS) : String.join(", ", cpuExtensions);
        return cpuExtensions.stream().anyMatch(flag -> flag.startsWith("avx512")) ? listed : listed + "; no AVX-512";
    }

    /** Whether the CPU has AVX-512 Foundation. */
    public boolean hasAvx512() {
        return cpuExtensions.contains("avx512f");
    }

    /** The JDK of a feature release, or null. */
    public @Nullable JdkInfo jdk(int feature) {
        return jdks.stream().filter(jdk -> jdk.feature() == feature).findFirst().orElse(null);
    }

    /**
     * Reads the platform: CPU flags from {@code cpuFlags} (the run description's, null: unknown),
     * JDKs from {@code jdk-flags-*.txt} in {@code resultsDir} (null or absent: none).
     */
    public static Platform read(@Nullable String cpuFlags, @Nullable Path resultsDir, List<String> warnings) {
        String flags = cpuFlags;
        List<JdkInfo> jdks = new ArrayList<>();
        if (resultsDir != null && Files.isDirectory(resultsDir)) {
            Map<Integer, Path> files = new TreeMap<>((a, b) -> b - a);
            try (var list = Files.list(resultsDir)) {
                list.forEach(file -> {
                    Matcher matcher = FLAGS_FILE.matcher(file.getFileName().toString());
                    if (matcher.matches()) {
                        files.put(Integer.parseInt(matcher.group(1)), file);
                    }
                });
            } catch (IOException e) {
                warnings.add(resultsDir + ": " + e.getMessage());
            }
            files.forEach((feature, file) -> {
                try {
                    jdks.add(parseJdk(feature, Files.readAllLines(file)));
                } catch (IOException e) {
                    warnings.add(file.getFileName() + ": " + e.getMessage());
                }
            });
        }
        return of(flags, jdks);
    }

    /** The platform from a /proc/cpuinfo flags line (null: unknown) and parsed JDKs. */
    static Platform of(@Nullable String cpuFlags, List<JdkInfo> jdks) {
        if (cpuFlags == null) {
            return new Platform(List.of(), false, List.copyOf(jdks));
        }
        Set<String> present = Arrays.stream(cpuFlags.replaceFirst("^flags\\s*:", "").trim().split("\\s+"))
                .map(flag -> flag.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return new Platform(CPU_EXTENSIONS.stream().filter(present::contains).toList(), true, List.copyOf(jdks));
    }

    /** Parses the output of {@code java -XshowSettings:properties -XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal -version}. */
    static JdkInfo parseJdk(int feature, List<String> lines) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher property = PROPERTY_LINE.matcher(line);
            if (property.matches()) {
                properties.putIfAbsent(property.group(1), property.group(2).trim());
                continue;
            }
            Matcher flag = FLAG_LINE.matcher(line);
            if (flag.find() && line.contains("{")) {
                flags.put(flag.group(1), flag.group(2));
            }
        }
        Map<String, @Nullable String> intrinsics = new LinkedHashMap<>();
        for (String name : INTRINSIC_FLAGS) {
            intrinsics.put(name, flags.get(name));
        }
        flags.keySet().stream().filter(name -> AES_GCM_FLAG.matcher(name).matches()).sorted()
                .forEach(name -> intrinsics.put(name, flags.get(name)));
        String vendor = properties.getOrDefault("java.vendor", "unknown");
        String vendorVersion = properties.get("java.vendor.version");
        if (vendorVersion != null && !vendorVersion.isEmpty() && !vendorVersion.equals(vendor)) {
            vendor = vendor + " (" + vendorVersion + ")";
        }
        return new JdkInfo(feature, properties.getOrDefault("java.runtime.version", "unknown"), vendor,
                java.util.Collections.unmodifiableMap(intrinsics), properties.getOrDefault(BACKEND_PROPERTY, "not recorded"));
    }
}
