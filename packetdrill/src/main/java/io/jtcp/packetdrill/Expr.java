package io.jtcp.packetdrill;

import java.util.List;
import java.util.stream.Collectors;

/** A system call argument or result as the script writes it. */
sealed interface Expr {

    String render();

    record Num(long value) implements Expr {
        public String render() { return Long.toString(value); }
    }

    record Str(String value) implements Expr {
        public String render() { return "\"" + value + "\""; }
    }

    /** A symbolic constant such as {@code SOL_SOCKET} or {@code O_NONBLOCK}. */
    record Sym(String name) implements Expr {
        public String render() { return name; }
    }

    /** {@code ...}: an argument that is not given or not checked. */
    record Ellipsis() implements Expr {
        public String render() { return "..."; }
    }

    /** {@code a|b|c}: flags or'ed together. */
    record Or(List<Expr> terms) implements Expr {
        public String render() { return terms.stream().map(Expr::render).collect(Collectors.joining("|")); }
    }

    /** {@code [a, b]}: an array, or an int passed by pointer. */
    record Array(List<Expr> items) implements Expr {
        public String render() { return "[" + items.stream().map(Expr::render).collect(Collectors.joining(", ")) + "]"; }
    }

    /** {@code {name=value, ...}}: a struct; a field without a name has a null name. */
    record Struct(List<Field> fields) implements Expr {
        public String render() { return "{" + fields.stream().map(Field::render).collect(Collectors.joining(", ")) + "}"; }

        Expr get(String name) {
            for (Field f : fields) if (name.equals(f.name())) return f.value();
            return null;
        }
    }

    record Field(String name, Expr value) {
        String render() { return name == null ? value.render() : name + "=" + value.render(); }
    }

    /** {@code htons(8080)}, {@code inet_addr("192.0.2.1")}. */
    record Call(String name, List<Expr> args) implements Expr {
        public String render() { return name + "(" + args.stream().map(Expr::render).collect(Collectors.joining(", ")) + ")"; }
    }
}
