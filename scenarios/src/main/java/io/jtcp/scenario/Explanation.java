package io.jtcp.scenario;

import java.util.List;

/** A scenario's closing words: a few plain-language lines on what happened and why. */
public record Explanation(List<String> lines) {
    public static Explanation of(String... lines) {
        return new Explanation(List.of(lines));
    }
}
