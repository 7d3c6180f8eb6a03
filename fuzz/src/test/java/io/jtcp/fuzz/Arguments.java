package io.jtcp.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Fuzz input as a command line: NUL separates the arguments, as in /proc/PID/cmdline, so real command lines make readable seeds. */
public final class Arguments {
    private Arguments() {}

    public static List<String> of(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\0", -1));
    }
}
