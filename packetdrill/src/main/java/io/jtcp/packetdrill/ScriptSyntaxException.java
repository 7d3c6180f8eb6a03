package io.jtcp.packetdrill;

/** A script that does not parse: the line and what was wrong there, as packetdrill's parser reports it. */
public final class ScriptSyntaxException extends Exception {
    private final int line;

    ScriptSyntaxException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() { return line; }
}
