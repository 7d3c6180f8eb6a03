package io.jtcp.packetdrill;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scripted system call: {@code accept(3, ..., ...) = 4} or
 * {@code connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)}.
 * {@code errno} is the expected errno's name or null; the note in parentheses is not checked.
 */
record Syscall(String name, List<Expr> args, Expr result, String errno, String note) {

    Expr arg(int i) { return i < args.size() ? args.get(i) : new Expr.Ellipsis(); }

    String render() {
        StringBuilder b = new StringBuilder(name).append('(')
                .append(args.stream().map(Expr::render).collect(Collectors.joining(", "))).append(") = ").append(result.render());
        if (errno != null) b.append(' ').append(errno);
        if (note != null) b.append(" (").append(note).append(')');
        return b.toString();
    }
}
