package io.jtcp.scenario.soak;

import io.jtcp.host.Stack;

/**
 * What a stack still holds after a soak: TCBs, TIME_WAIT entries, port shares beyond
 * the listeners it was told to keep, and whether any timer is armed.
 */
public record Leftovers(int connections, int timeWait, int extraPorts, boolean timerArmed) {
    public static Leftovers of(Stack s, int listenerPorts) {
        return new Leftovers(s.connectionCount(), s.timeWaitCount(), s.portsInUse() - listenerPorts,
                s.nextDeadline() != Long.MAX_VALUE);
    }

    public boolean none() {
        return connections == 0 && timeWait == 0 && extraPorts == 0 && !timerArmed;
    }
}
