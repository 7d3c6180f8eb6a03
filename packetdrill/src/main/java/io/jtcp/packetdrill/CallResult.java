package io.jtcp.packetdrill;


/** What an emulated system call did: returned (a value, or -1 with an errno), or blocked until {@code retry} succeeds. */
sealed interface CallResult {

    /** {@code mismatch} is set when an in/out argument (getsockopt's value, poll's revents) differs from the script's. */
    record Done(long value, String errno, String mismatch) implements CallResult {}

    /**
     * A blocking call that cannot complete yet; {@code retry} returns null while it still
     * must wait. {@code wakeAt} is when it gives up by itself (a poll's timeout), or MAX_VALUE.
     */
    record Blocked(Retry retry, long wakeAt) implements CallResult {}

    @FunctionalInterface
    interface Retry {
        /** Tries again at {@code now}: the result, or null to keep waiting. */
        Done attempt(long now) throws UnsupportedFeature;
    }

    static Done ok(long value) { return new Done(value, null, null); }

    static Done fail(String errno) { return new Done(-1, errno, null); }

    static Done checked(long value, String mismatch) { return new Done(value, null, mismatch); }

}
