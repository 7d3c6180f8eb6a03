package io.jtcp.packetdrill;

import java.util.List;
import java.util.stream.Collectors;

/** A parsed script: its leading {@code --option} lines and its events in order. */
record Script(List<String> options, List<Event> events) {

    /** The script again as text, one event per line: what {@link Parser} reads back to an equal script. */
    String render() {
        StringBuilder b = new StringBuilder();
        for (String o : options) b.append(o).append('\n');
        for (Event e : events) b.append(e.render()).append('\n');
        return b.toString();
    }

    String renderEvents() {
        return events.stream().map(Event::render).collect(Collectors.joining("\n"));
    }
}
