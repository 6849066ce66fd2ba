package dev.securechannel.internal.crypto;

import dev.securechannel.testing.SharedFiles;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Project Wycheproof vector file from {@code testdata/vectors/wycheproof} and flattens its
 * {@code testGroups[].tests[]} into {@link Case}s, each keeping its group so tests can read group
 * parameters such as {@code ivSize} or {@code tagSize}.
 *
 * <p>The files are used exactly as copied (see that folder's PROVENANCE.md): nothing is skipped
 * here, so a test class that partitions {@link VectorFile#cases()} can prove its partitions add
 * up to the file's {@code numberOfTests}.
 */
final class Wycheproof {

    private static final String FOLDER = "vectors/wycheproof/";
    private static final HexFormat HEX = HexFormat.of();

    private Wycheproof() {
    }

    /** Loads and flattens one file of the folder. */
    static VectorFile load(String fileName) {
        JsonNode root = SharedFiles.json(FOLDER + fileName);
        List<Case> cases = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode test : group.get("tests")) {
                cases.add(new Case(group, test));
            }
        }
        return new VectorFile(fileName, root, List.copyOf(cases));
    }

    /** Lowercase hex, for assertions whose failure message should be readable. */
    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** One parsed file. */
    record VectorFile(String fileName, JsonNode root, List<Case> cases) {

        /** The {@code numberOfTests} the file declares. */
        int numberOfTests() {
            return root.get("numberOfTests").asInt();
        }

        /** The {@code algorithm} the file declares. */
        String algorithm() {
            return root.get("algorithm").asString();
        }

        /** The cases matching {@code filter}, in file order. */
        Stream<Case> cases(Predicate<Case> filter) {
            return cases.stream().filter(filter);
        }

        /** How many cases match {@code filter}. */
        long count(Predicate<Case> filter) {
            return cases.stream().filter(filter).count();
        }

        /** The case with {@code tcId}; fails when there is not exactly one. */
        Case byId(int tcId) {
            List<Case> found = cases.stream().filter(c -> c.tcId() == tcId).toList();
            if (found.size() != 1) {
                throw new IllegalStateException(fileName + " has " + found.size() + " cases with tcId " + tcId);
            }
            return found.get(0);
        }
    }

    /** One test case together with the group it belongs to. */
    record Case(JsonNode group, JsonNode test) {

        int tcId() {
            return test.get("tcId").asInt();
        }

        String comment() {
            return test.get("comment").asString();
        }

        /** {@code valid}, {@code invalid} or {@code acceptable}. */
        String result() {
            return test.get("result").asString();
        }

        boolean isValid() {
            return "valid".equals(result());
        }

        boolean isInvalid() {
            return "invalid".equals(result());
        }

        boolean isAcceptable() {
            return "acceptable".equals(result());
        }

        List<String> flags() {
            List<String> flags = new ArrayList<>();
            for (JsonNode flag : test.get("flags")) {
                flags.add(flag.asString());
            }
            return flags;
        }

        boolean hasFlag(String flag) {
            return flags().contains(flag);
        }

        /** A hex field of the test, decoded. */
        byte[] bytes(String field) {
            return SharedFiles.hex(string(field));
        }

        /** A string field of the test. */
        String string(String field) {
            JsonNode node = test.get(field);
            if (node == null) {
                throw new IllegalStateException("tcId " + tcId() + " has no field " + field);
            }
            return node.asString();
        }

        /** An integer field of the test. */
        int integer(String field) {
            return test.get(field).asInt();
        }

        /** An integer parameter of the group, such as {@code ivSize} or {@code tagSize}. */
        int groupInteger(String field) {
            return group.get(field).asInt();
        }

        /** The display name of the parameterized invocation: id, result, flags and comment. */
        @Override
        public String toString() {
            String comment = comment();
            return "tcId " + tcId() + " " + result() + " " + flags() + (comment.isEmpty() ? "" : " " + comment);
        }
    }
}
