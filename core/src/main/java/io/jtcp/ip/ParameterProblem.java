package io.jtcp.ip;

/**
 * The ICMPv6 parameter problem (type 4, RFC 4443 §3.4) a refused IPv6 fragment calls for,
 * as Linux's ipv6_frag_rcv sends with icmpv6_param_prob: the code and the pointer, an
 * offset from the start of the fragment's IPv6 header. Mutable and reused.
 */
public final class ParameterProblem {
    /** Code 0: erroneous header field. */
    public static final int HEADER_FIELD = 0;
    /** Code 3: the first fragment lacks the headers through the upper-layer header (RFC 7112). */
    public static final int HEADER_CHAIN_INCOMPLETE = 3;

    private boolean due;
    private int code, pointer;

    /** Whether the last refused fragment calls for this error; the other getters mean something only then. */
    public boolean due() { return due; }

    public int code() { return code; }

    public int pointer() { return pointer; }

    void set(int code, int pointer) {
        this.due = true;
        this.code = code;
        this.pointer = pointer;
    }

    void clear() { due = false; }
}
