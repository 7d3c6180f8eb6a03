package io.jtcp.cli.proxy;

import java.io.IOException;

/** The upstream (a SOCKS server) said why it could not reach a destination. */
public final class UpstreamException extends IOException {
    final Verdict verdict;

    public UpstreamException(Verdict verdict, String message) {
        super(message);
        this.verdict = verdict;
    }

    public Verdict verdict() { return verdict; }
}
