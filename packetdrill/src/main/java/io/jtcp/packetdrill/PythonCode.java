package io.jtcp.packetdrill;

import io.jtcp.tcp.Connection;
import java.util.function.Supplier;

/**
 * {@code %{ ... }%} blocks. packetdrill runs them with python after writing the last
 * socket's TCP_INFO as {@code tcpi_*} variables; the runner does the same once core's
 * {@code Connection.tcpInfo} exists. Until then every block is refused through
 * {@link SocketCalls#tcpInfo()}, the one place TCP_INFO is waited for.
 */
final class PythonCode {
    private PythonCode() {}

    static void run(Event.Code code, Supplier<Connection> lastSocket) throws UnsupportedFeature {
        if (!python3Present()) throw new UnsupportedFeature("python3 (for %{ }% code blocks)");
        throw SocketCalls.tcpInfo();
    }

    private static boolean python3Present() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "python3"))) return true;
        }
        return false;
    }
}
