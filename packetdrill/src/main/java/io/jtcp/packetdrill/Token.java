package io.jtcp.packetdrill;

/**
 * One lexical token of a packetdrill script. {@code text} is the source spelling
 * (for strings and backquoted commands, the contents without quotes; for code
 * blocks, the body between the markers).
 */
record Token(Kind kind, String text, int line) {

    enum Kind { INTEGER, FLOAT, WORD, ADDRESS, STRING, BACKQUOTE, CODE, OPTION, ELLIPSIS, PUNCT, END }

    boolean is(Kind k, String s) {
        return kind == k && text.equals(s);
    }

    boolean punct(char c) {
        return kind == Kind.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }

    boolean word(String s) {
        return kind == Kind.WORD && text.equals(s);
    }

    @Override
    public String toString() {
        return kind == Kind.END ? "end of script" : "'" + text + "'";
    }
}
