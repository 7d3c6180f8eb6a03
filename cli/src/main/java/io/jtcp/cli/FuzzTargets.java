package io.jtcp.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fuzz targets of a checkout: every {@code @FuzzTest} method under fuzz/src/test/java,
 * named {@code Class#method}. Read from the sources so the list cannot drift from them.
 */
final class FuzzTargets {
    private static final Pattern CLASS = Pattern.compile("\\bclass\\s+(\\w+)");
    private static final Pattern TARGET = Pattern.compile("@FuzzTest\\b[^{;]*?\\bvoid\\s+(\\w+)\\s*\\(", Pattern.DOTALL);

    private FuzzTargets() {}

    /** {@code Class#method} for each target below {@code sources}, sorted. */
    static List<String> list(Path sources) {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f);
                Matcher c = CLASS.matcher(text);
                if (!c.find()) continue;
                Matcher m = TARGET.matcher(text);
                while (m.find()) targets.add(c.group(1) + "#" + m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return targets.stream().sorted().toList();
    }

    /** The target {@code name} means: itself if listed, else the one target whose class or method it names. */
    static String resolve(List<String> targets, String name) {
        if (targets.contains(name)) return name;
        List<String> matches = targets.stream()
                .filter(t -> t.startsWith(name + "#") || t.endsWith("#" + name)).toList();
        if (matches.size() == 1) return matches.getFirst();
        throw new IllegalArgumentException(matches.isEmpty()
                ? "no fuzz target '" + name + "'; see --list"
                : "'" + name + "' names several targets: " + String.join(", ", matches));
    }
}
