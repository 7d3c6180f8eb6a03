package io.jtcp.packetdrill;

import io.jtcp.packetdrill.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cuts a packetdrill script into tokens, following the shapes of packetdrill's
 * lexer.l: {@code //} and C comments, {@code %{ code }%} blocks, backquoted shell
 * commands, quoted strings, {@code --option} lines, integers (decimal, hex, with a
 * leading minus), floats such as {@code 0.100} or {@code .1}, the ellipsis, dotted
 * IPv4 addresses, words, and single punctuation characters.
 */
final class Lexer {
    private final String src;
    private int pos;
    private int line = 1;

    private final Map<String, String> defines;

    private Lexer(String src, Map<String, String> defines) {
        this.src = src;
        this.defines = defines;
    }

    static List<Token> tokens(String src) throws ScriptSyntaxException {
        return tokens(src, Map.of());
    }

    /** Tokens of {@code src}, a word that names one of {@code defines} replaced by its value. */
    static List<Token> tokens(String src, Map<String, String> defines) throws ScriptSyntaxException {
        Lexer lx = new Lexer(src, defines);
        List<Token> out = new ArrayList<>();
        for (Token t; (t = lx.next()).kind() != Kind.END; ) out.add(t);
        out.add(new Token(Kind.END, "", lx.line));
        return out;
    }

    private Token next() throws ScriptSyntaxException {
        skipSpaceAndComments();
        if (pos >= src.length()) return new Token(Kind.END, "", line);
        int start = pos;
        int startLine = line;
        char c = src.charAt(pos);
        if (c == '%' && peek(1) == '{') {
            int end = src.indexOf("}%", pos + 2);
            if (end < 0) throw new ScriptSyntaxException(startLine, "unterminated %{ code block");
            // lexer.l's code(): spaces and tabs at either end go, so python sees no stray indent.
            String body = src.substring(pos + 2, end).replaceAll("^[ \t]+|[ \t]+$", "");
            advanceTo(end + 2);
            return new Token(Kind.CODE, body, startLine);
        }
        if (c == '`' || c == '"') {
            int end = pos + 1;
            while (end < src.length() && src.charAt(end) != c) end += src.charAt(end) == '\\' ? 2 : 1;
            if (end >= src.length()) throw new ScriptSyntaxException(startLine, "unterminated " + (c == '`' ? "command" : "string"));
            String body = src.substring(pos + 1, end);
            advanceTo(end + 1);
            return new Token(c == '`' ? Kind.BACKQUOTE : Kind.STRING, body, startLine);
        }
        if (c == '-' && peek(1) == '-' && Character.isLetter(peek(2))) {
            int end = src.indexOf('\n', pos);
            if (end < 0) end = src.length();
            String option = src.substring(pos, end).strip();
            advanceTo(end);
            return new Token(Kind.OPTION, option, startLine);
        }
        if (src.startsWith("...", pos)) {
            pos += 3;
            return new Token(Kind.ELLIPSIS, "...", startLine);
        }
        if (c == '0' && (peek(1) == 'x' || peek(1) == 'X') && isHex(peek(2))) {
            pos += 2;
            while (isHex(peek(0))) pos++;
            return new Token(Kind.INTEGER, src.substring(start, pos), startLine);
        }
        if (Character.isDigit(c) || (c == '-' || c == '.') && startsNumber()) {
            return number(start, startLine);
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
            return word(src.substring(start, pos), startLine);
        }
        pos++;
        return new Token(Kind.PUNCT, String.valueOf(c), startLine);
    }

    /**
     * A word, or the value of the define it names, typed as lexer.l's word() types it:
     * {@code "..."} a string, {@code `...`} a command, an integer strtol reads whole
     * (decimal, 0x hex, leading-zero octal) an integer, anything else a word.
     */
    private static Token defined(String value, int line) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return new Token(Kind.STRING, value.substring(1, value.length() - 1), line);
        }
        if (value.length() >= 2 && value.startsWith("`") && value.endsWith("`")) {
            return new Token(Kind.BACKQUOTE, value.substring(1, value.length() - 1), line);
        }
        Long n = cInteger(value);
        return n != null ? new Token(Kind.INTEGER, Long.toString(n), line) : new Token(Kind.WORD, value, line);
    }

    private Token word(String word, int line) {
        String value = defines.get(word);
        return value == null ? new Token(Kind.WORD, word, line) : defined(value, line);
    }

    /** strtol(s, &end, 0) when it reads all of s; else null. */
    static Long cInteger(String s) {
        String t = s.strip();
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) t = t.substring(1);
        try {
            long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16)
                    : t.length() > 1 && t.startsWith("0") ? Long.parseLong(t.substring(1), 8) : Long.parseLong(t);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A number starts here: a digit, or '-' or '.' directly followed by one ('-.5' too). */
    private boolean startsNumber() {
        int i = pos;
        if (src.charAt(i) == '-') i++;
        if (i < src.length() && src.charAt(i) == '.') i++;
        return i < src.length() && Character.isDigit(src.charAt(i)) && !src.startsWith("...", pos);
    }

    private Token number(int start, int startLine) {
        if (src.charAt(pos) == '-') pos++;
        while (Character.isDigit(peek(0))) pos++;
        // A dotted quad is an address, not a float followed by more numbers.
        int save = pos;
        int dots = 0;
        while (peek(0) == '.' && Character.isDigit(peek(1)) && dots < 3) {
            pos++;
            while (Character.isDigit(peek(0))) pos++;
            dots++;
        }
        if (dots == 3 && src.charAt(start) != '-') return new Token(Kind.ADDRESS, src.substring(start, pos), startLine);
        pos = save;
        if (peek(0) == '.' && Character.isDigit(peek(1))) {
            pos++;
            while (Character.isDigit(peek(0))) pos++;
            return new Token(Kind.FLOAT, src.substring(start, pos), startLine);
        }
        return new Token(Kind.INTEGER, src.substring(start, pos), startLine);
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '/' && peek(1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') pos++;
            } else if (c == '/' && peek(1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                advanceTo(end < 0 ? src.length() : end + 2);
            } else {
                return;
            }
        }
    }

    private void advanceTo(int end) {
        for (int i = pos; i < end; i++) if (src.charAt(i) == '\n') line++;
        pos = end;
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
