package io.jtcp.cli.proxy;

import io.jtcp.wire.Unreachable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;

/**
 * What the client hears when its destination cannot be reached upstream, as the kernel
 * between them would tell it: a refused connection is a reset (ECONNREFUSED at the
 * client), an unreachable network or host, or a connect that timed out, is ICMP
 * destination unreachable with that code (ENETUNREACH, EHOSTUNREACH), a SOCKS server's
 * "not allowed by ruleset" is administratively prohibited.
 */
public enum Verdict {
    REFUSED(null),
    NETWORK_UNREACHABLE(Unreachable.NETWORK),
    HOST_UNREACHABLE(Unreachable.HOST),
    PROHIBITED(Unreachable.ADMIN_PROHIBITED);

    /** The ICMP answer, null for a reset. */
    public final Unreachable icmp;

    Verdict(Unreachable icmp) {
        this.icmp = icmp;
    }

    /**
     * The JDK's exception for a failed connect, read for its errno: ECONNREFUSED is a
     * ConnectException "Connection refused", ENETUNREACH one saying "Network is
     * unreachable", EHOSTUNREACH a NoRouteToHostException (sun.nio.ch.Net's mapping).
     */
    public static Verdict of(IOException e) {
        if (e instanceof UpstreamException u) return u.verdict;
        String m = String.valueOf(e.getMessage());
        if (e instanceof NoRouteToHostException || e instanceof SocketTimeoutException) return HOST_UNREACHABLE;
        if (m.contains("Network is unreachable")) return NETWORK_UNREACHABLE;
        if (e instanceof ConnectException && m.contains("refused")) return REFUSED;
        return HOST_UNREACHABLE;
    }
}
