package io.jtcp.packetdrill;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one shell command line into words as sh does for the simple commands scripts
 * give: blanks separate words, single and double quotes group (and are removed), a
 * backslash escapes the next character, a word starting with {@code #} begins a comment, and output redirections ({@code > /dev/null},
 * {@code 2>&1}) are dropped with their targets, since the runner never runs the command.
 */
final class ShellWords {
    private ShellWords() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        boolean dropNext = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                dropNext = finish(words, w, dropNext);
                w = null;
                continue;
            }
            if (w == null && c == '#') break; // a comment runs to the end of the line
            if (w == null) w = new StringBuilder();
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                if (end < 0) end = line.length();
                w.append(line, i + 1, end);
                i = end;
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
            } else {
                w.append(c);
            }
        }
        finish(words, w, dropNext);
        return words;
    }

    /** Adds a finished word unless it is a redirection or its target; true when the next word is a target. */
    private static boolean finish(List<String> words, StringBuilder w, boolean isTarget) {
        if (w == null) return isTarget;
        String s = w.toString();
        if (isTarget) return false;
        int gt = s.indexOf('>');
        boolean redirect = gt >= 0 && s.substring(0, gt).chars().allMatch(Character::isDigit);
        if (!redirect) {
            words.add(s);
            return false;
        }
        String target = s.substring(gt + 1);
        return target.isEmpty() || target.equals("&");
    }
}
