package io.jtcp.config;

import java.util.Arrays;

/** The values of every {@link IpSysctl}, immutable: {@link #with} returns a changed copy. */
public final class IpSysctls {
    private static final IpSysctls LINUX = new IpSysctls(Arrays.stream(IpSysctl.values()).mapToInt(IpSysctl::linuxDefault).toArray());

    private final int[] values;

    private IpSysctls(int[] values) {
        this.values = values;
    }

    public static IpSysctls linux() { return LINUX; }

    public int get(IpSysctl s) { return values[s.ordinal()]; }

    public IpSysctls with(IpSysctl s, int value) {
        int[] v = values.clone();
        v[s.ordinal()] = s.check(value);
        return new IpSysctls(v);
    }

    @Override
    public boolean equals(Object o) { return o instanceof IpSysctls i && Arrays.equals(i.values, values); }

    @Override
    public int hashCode() { return Arrays.hashCode(values); }
}
