package io.jtcp.packetdrill;

/**
 * How one script ended. {@code line} is 0 when no line is to blame; {@code reason} is
 * packetdrill's message for a failure and null for a pass; {@code feature} names what
 * an unsupported script needs.
 */
public record Outcome(String script, Result result, int line, String reason, String feature) {

    public enum Result { PASS, FAIL, UNSUPPORTED }

    static Outcome pass(String script) { return new Outcome(script, Result.PASS, 0, null, null); }

    public boolean passed() { return result == Result.PASS; }

    /** packetdrill's one-line form: {@code script.pkt:12: error handling packet: ...}. */
    public String describe() {
        return switch (result) {
            case PASS -> script + ": pass";
            case FAIL -> script + (line > 0 ? ":" + line : "") + ": " + reason;
            case UNSUPPORTED -> script + (line > 0 ? ":" + line : "") + ": unsupported: " + feature;
        };
    }

    /** One JSON object on one line, for {@code --report}. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"script\":").append(quote(script))
                .append(",\"result\":").append(quote(result.name().toLowerCase(java.util.Locale.ROOT)))
                .append(",\"line\":").append(line);
        b.append(",\"reason\":").append(reason == null ? "null" : quote(reason));
        b.append(",\"feature\":").append(feature == null ? "null" : quote(feature));
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
