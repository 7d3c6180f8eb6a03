package io.jtcp.tcp;

/**
 * What a host gives an active open for TCP Fast Open (RFC 7413 §4.1): the cookie it
 * holds for the destination (null or empty: none, so the SYN asks for one), whether
 * that cookie (or the request) goes in the experimental option, the MSS the
 * destination last announced (0: unknown) and whether data may ride on the SYN
 * without a cookie (tcp_fastopen's 0x4 bit or TCP_FASTOPEN_NO_COOKIE). Linux keeps
 * these in tcp_metrics (tcp_fastopen_cache_get).
 */
public record FastOpenOffer(byte[] cookie, boolean exp, int cachedMss, boolean withoutCookie) {
    /** Whether data may ride on the SYN (tcp_fastopen_cookie_check's answer). */
    public boolean carriesData() {
        return withoutCookie || cookie != null && cookie.length > 0;
    }
}
