package io.jtcp.architecture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks DESIGN.md's layering on source text: every jtcp type a file names (an import, a static import,
 * a wildcard import, or a fully qualified name in code) must be in a package its own package may use.
 * Comments and string literals are ignored, so a javadoc link to a higher layer is not a dependency.
 *
 * @param rules    what each constrained package may use; a package without a rule is not checked
 * @param allowed  single known exceptions, "from.Type -> to.Type", each one a finding to fix later
 */
record Layering(Map<String, Rule> rules, Set<String> allowed) {

    /**
     * What one package may use besides itself: whole packages, or single types of a package it may
     * otherwise not use (the error vocabulary of the socket layer, the trace SPI of observe).
     */
    record Rule(Set<String> packages, Set<String> types) {
        boolean permits(String pkg, String type) {
            return packages.contains(pkg) || types.contains(pkg + "." + type);
        }
    }

    /** One forbidden reference. */
    record Violation(String fromType, String toPackage, String toType) {
        @Override
        public String toString() {
            return fromType + " uses " + toPackage + "." + toType;
        }
    }

    private static final Pattern COMMENTS_AND_STRINGS =
            Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'",
                    Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** io.jtcp.some.pkg.Type or io.jtcp.some.pkg.* : packages are lower case, types start upper case. */
    private static final Pattern JTCP_NAME =
            Pattern.compile("\\bio\\.jtcp((?:\\.[a-z_][a-z0-9_]*)+)\\.([A-Z]\\w*|\\*)");

    /** The violations in one compilation unit named {@code typeName} (its simple name), empty if none. */
    List<Violation> check(String typeName, String source) {
        String code = COMMENTS_AND_STRINGS.matcher(source).replaceAll(" ");
        Matcher pm = PACKAGE.matcher(code);
        if (!pm.find()) return List.of();
        String from = pm.group(1);
        Rule rule = rules.get(from);
        if (rule == null) return List.of();
        List<Violation> found = new ArrayList<>();
        Matcher m = JTCP_NAME.matcher(code);
        while (m.find()) {
            String pkg = "io.jtcp" + m.group(1);
            String type = m.group(2);
            if (pkg.equals(from) || rule.permits(pkg, type)) continue;
            if (allowed.contains(from + "." + typeName + " -> " + pkg + "." + type)) continue;
            Violation v = new Violation(from + "." + typeName, pkg, type);
            if (!found.contains(v)) found.add(v);
        }
        return found;
    }
}
