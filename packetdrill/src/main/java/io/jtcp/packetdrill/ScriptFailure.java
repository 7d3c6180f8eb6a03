package io.jtcp.packetdrill;

/** The script and the stack disagreed at {@code line}: packetdrill's "error handling packet" and kin. */
final class ScriptFailure extends Exception {
    final int line;

    ScriptFailure(int line, String message) {
        super(message);
        this.line = line;
    }
}
