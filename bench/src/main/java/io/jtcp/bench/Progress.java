package io.jtcp.bench;

import java.io.PrintStream;

/** The one-line progress display on stderr while a benchmark runs (rewritten in place on a terminal). */
final class Progress {
    private static final PrintStream ERR = System.err;
    private static final boolean TTY = System.console() != null;
    private static int last;

    private Progress() {}

    static void show(String name, String what) {
        String line = "[" + name + "] " + what;
        if (TTY) {
            ERR.print("\r" + line + " ".repeat(Math.max(0, last - line.length())));
            last = line.length();
        } else {
            ERR.println(line);
        }
        ERR.flush();
    }

    static void done() {
        if (TTY && last > 0) ERR.print("\r" + " ".repeat(last) + "\r");
        last = 0;
        ERR.flush();
    }
}
