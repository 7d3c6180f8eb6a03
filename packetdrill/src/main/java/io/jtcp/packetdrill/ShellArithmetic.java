package io.jtcp.packetdrill;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell's {@code $((expr))} arithmetic expansion in the commands the runner reads
 * (upstream's defaults.sh writes {@code tcp_rmem="4096 540000 $((15*1024*1024))"}):
 * 64-bit integers (decimal, {@code 0x} hex, leading-zero octal as the shell reads them),
 * unary {@code + - ~}, {@code * / %}, {@code + -}, {@code << >>}, {@code &}, {@code ^},
 * {@code |} with C's precedence, and parentheses. Anything else (variables,
 * assignments, comparisons) is refused rather than guessed.
 */
final class ShellArithmetic {
    private static final Pattern EXPANSION = Pattern.compile("\\$\\(\\(([^$]*?)\\)\\)(?!\\))");

    private final String src;
    private int pos;

    private ShellArithmetic(String src) {
        this.src = src;
    }

    /** {@code text} with every {@code $((expr))} replaced by its value. */
    static String expand(String text) {
        Matcher m = EXPANSION.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Long.toString(evaluate(m.group(1))));
        m.appendTail(b);
        return b.toString();
    }

    /** The value of one arithmetic expression; IllegalArgumentException when it is not one. */
    static long evaluate(String expr) {
        ShellArithmetic p = new ShellArithmetic(expr);
        long v = p.binary(0);
        p.skipSpace();
        if (p.pos != expr.length()) throw p.error();
        return v;
    }

    /** Binary operators, loosest first; each level's operands are the next level. */
    private static final String[][] LEVELS = {{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

    private long binary(int level) {
        if (level == LEVELS.length) return unary();
        long v = binary(level + 1);
        for (String op; (op = operator(LEVELS[level])) != null; ) {
            long r = binary(level + 1);
            v = switch (op) {
                case "|" -> v | r;
                case "^" -> v ^ r;
                case "&" -> v & r;
                case "<<" -> v << r;
                case ">>" -> v >> r;
                case "+" -> v + r;
                case "-" -> v - r;
                case "*" -> v * r;
                default -> {
                    if (r == 0) throw new IllegalArgumentException("division by 0 in $((" + src + "))");
                    yield op.equals("/") ? v / r : v % r;
                }
            };
        }
        return v;
    }

    /** The operator of {@code ops} at the cursor, taken; null if none (so '|' is not '||', '<' not '<<'). */
    private String operator(String[] ops) {
        skipSpace();
        for (String op : ops) {
            if (!src.startsWith(op, pos)) continue;
            int after = pos + op.length();
            boolean doubled = op.length() == 1 && after < src.length() && src.charAt(after) == op.charAt(0) && "|&".contains(op);
            boolean assignment = after < src.length() && src.charAt(after) == '=';
            if (doubled || assignment) throw error();
            pos = after;
            return op;
        }
        return null;
    }

    private long unary() {
        skipSpace();
        if (pos >= src.length()) throw error();
        char c = src.charAt(pos);
        if (c == '-' || c == '+' || c == '~') {
            pos++;
            long v = unary();
            return c == '-' ? -v : c == '~' ? ~v : v;
        }
        if (c == '(') {
            pos++;
            long v = binary(0);
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) != ')') throw error();
            pos++;
            return v;
        }
        int start = pos;
        while (pos < src.length() && Character.isLetterOrDigit(src.charAt(pos))) pos++;
        String literal = src.substring(start, pos);
        try {
            if (literal.startsWith("0x") || literal.startsWith("0X")) return Long.parseLong(literal.substring(2), 16);
            if (literal.length() > 1 && literal.startsWith("0")) return Long.parseLong(literal.substring(1), 8);
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            throw error();
        }
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }

    private IllegalArgumentException error() {
        return new IllegalArgumentException("unsupported shell arithmetic $((" + src + "))");
    }
}
