package io.jtcp.observe;

/**
 * Just enough JSON to write one flat-ish object per line (RFC 8259), so the core
 * needs no JSON library. {@link Obj} writes members in call order and handles the
 * commas; {@link #appendString} does the escaping.
 */
public final class Json {
    private Json() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code s} as a JSON string literal, quotes included; {@code null} becomes {@code null}. */
    public static String quote(CharSequence s) {
        StringBuilder b = new StringBuilder(s == null ? 4 : s.length() + 2);
        appendString(b, s);
        return b.toString();
    }

    /**
     * Appends {@code s} as a JSON string literal. Escapes the quote, the backslash and every
     * control character, and also lone UTF-16 surrogates, which could not be encoded as UTF-8.
     */
    public static void appendString(StringBuilder b, CharSequence s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        unicodeEscape(b, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(b, c);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static void unicodeEscape(StringBuilder b, char c) {
        b.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }

    /** Writes one JSON object into a builder, member by member; nested objects and arrays open and close. */
    public static final class Obj {
        private final StringBuilder b;
        private boolean first = true;

        public Obj(StringBuilder b) {
            this.b = b;
            b.append('{');
        }

        private StringBuilder key(String name) {
            if (!first) b.append(',');
            first = false;
            appendString(b, name);
            return b.append(':');
        }

        public Obj string(String name, CharSequence value) {
            appendString(key(name), value);
            return this;
        }

        public Obj number(String name, long value) {
            key(name).append(value);
            return this;
        }

        /** A number already rendered as JSON allows (for example a timestamp with fixed decimals). */
        public Obj rawNumber(String name, CharSequence digits) {
            key(name).append(digits);
            return this;
        }

        public Obj bool(String name, boolean value) {
            key(name).append(value);
            return this;
        }

        /** Opens a nested object under {@code name}; close it with {@link #end()} before writing here again. */
        public Obj object(String name) {
            key(name);
            return new Obj(b);
        }

        /** Starts an array under {@code name}; the caller appends elements to {@link #out()} and closes it with ']'. */
        public StringBuilder array(String name) {
            return key(name).append('[');
        }

        public StringBuilder out() {
            return b;
        }

        public void end() {
            b.append('}');
        }
    }
}
