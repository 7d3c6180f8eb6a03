package io.jtcp.packetdrill;

/**
 * When a script event happens, in microseconds as written: {@code 0.100} (absolute),
 * {@code +0.1} (relative to the previous event), {@code *} (any time), and the ranges
 * {@code 0.1~0.2} and {@code +0.1~+0.2}. Ranges and {@code *} are for outbound packets
 * only, as packetdrill's parser insists.
 */
record EventTime(Kind kind, long micros, long endMicros) {

    enum Kind { ABSOLUTE, RELATIVE, ANY, ABSOLUTE_RANGE, RELATIVE_RANGE }

    static EventTime absolute(long micros) { return new EventTime(Kind.ABSOLUTE, micros, micros); }

    static EventTime relative(long micros) { return new EventTime(Kind.RELATIVE, micros, micros); }

    static final EventTime ANY = new EventTime(Kind.ANY, 0, 0);

    boolean isRelative() { return kind == Kind.RELATIVE || kind == Kind.RELATIVE_RANGE; }

    boolean isRange() { return kind == Kind.ABSOLUTE_RANGE || kind == Kind.RELATIVE_RANGE; }

    String render() {
        return switch (kind) {
            case ANY -> "*";
            case ABSOLUTE -> seconds(micros);
            case RELATIVE -> "+" + seconds(micros);
            case ABSOLUTE_RANGE -> seconds(micros) + "~" + seconds(endMicros);
            case RELATIVE_RANGE -> "+" + seconds(micros) + "~+" + seconds(endMicros);
        };
    }

    /** Microseconds as packetdrill prints seconds: {@code 0.100000}. */
    static String seconds(long micros) {
        String sign = micros < 0 ? "-" : "";
        long m = Math.abs(micros);
        return String.format("%s%d.%06d", sign, m / 1_000_000, m % 1_000_000);
    }
}
