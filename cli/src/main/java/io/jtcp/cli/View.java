package io.jtcp.cli;

import io.jtcp.observe.NetstatView;
import io.jtcp.observe.NstatView;
import io.jtcp.observe.SsView;
import io.jtcp.observe.StackSnapshot;

/** The views a run can show at its telling moments, each named after the Linux tool it imitates. */
enum View {
    SS("ss -tan -o") {
        @Override String render(StackSnapshot s) { return SsView.format(s, true, false); }
    },
    SS_INFO("ss -tan -o -i") {
        @Override String render(StackSnapshot s) { return SsView.format(s, true, true); }
    },
    NETSTAT("netstat -tano") {
        @Override String render(StackSnapshot s) { return NetstatView.format(s); }
    },
    NSTAT("nstat -az") {
        @Override String render(StackSnapshot s) { return NstatView.format(s); }
    },
    SUMMARY("ss -s") {
        @Override String render(StackSnapshot s) { return SsView.summary(s); }
    };

    final String command;

    View(String command) {
        this.command = command;
    }

    abstract String render(StackSnapshot s);

    /** The option's spelling: {@code ss}, {@code ss-info}, {@code netstat}, {@code nstat}, {@code summary}. */
    String optionName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static View parse(String name) {
        for (View v : values()) if (v.optionName().equals(name.trim())) return v;
        throw new IllegalArgumentException("unknown view '" + name + "' (ss, ss-info, netstat, nstat, summary)");
    }
}
