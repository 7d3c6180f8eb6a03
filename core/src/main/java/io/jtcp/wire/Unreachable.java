package io.jtcp.wire;

/**
 * Why a destination cannot be reached, as ICMP destination unreachable tells a sender, with
 * the code each family uses for it (RFC 792, RFC 1812 §5.2.7.1, RFC 4443 §3.1).
 */
public enum Unreachable {
    NETWORK(0, Icmp.V6_NO_ROUTE),
    HOST(Icmp.V4_HOST_UNREACHABLE, Icmp.V6_ADDRESS_UNREACHABLE),
    PORT(Icmp.V4_PORT_UNREACHABLE, Icmp.V6_PORT_UNREACHABLE),
    ADMIN_PROHIBITED(Icmp.V4_ADMIN_PROHIBITED, Icmp.V6_ADMIN_PROHIBITED);

    private final int v4Code, v6Code;

    Unreachable(int v4Code, int v6Code) {
        this.v4Code = v4Code;
        this.v6Code = v6Code;
    }

    public int code(boolean v6) {
        return v6 ? v6Code : v4Code;
    }
}
