package io.jtcp.packetdrill;

import io.jtcp.packetdrill.Token.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser for packetdrill's script language (the grammar of its
 * parser.y, for the TCP subset): option lines, then events, each a time and an action
 * (a packet, a system call, a backquoted command or a code block).
 */
final class Parser {
    private static final Pattern DEFINE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final String FLAG_LETTERS = "FSRPUEWA";

    private final List<Token> tokens;
    private int pos;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * Parses {@code text} with packetdrill's -D {@code defines}: a word that names a define
     * reads as its value (lexer.l's word()), and so does {@code ${NAME}} for a known NAME.
     * An unknown {@code ${NAME}} stays as written: inside a backquoted command it is the
     * shell's (packetdrill sets PACKETDRILL_PID, and scripts name {@code ${PPID}}).
     */
    static Script parse(String text, Map<String, String> defines) throws ScriptSyntaxException {
        return new Parser(Lexer.tokens(substitute(text, defines), defines)).script();
    }

    static Script parse(String text) throws ScriptSyntaxException {
        return parse(text, Map.of());
    }

    private static String substitute(String text, Map<String, String> defines) {
        Matcher m = DEFINE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = defines.get(m.group(1));
            m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(b);
        return b.toString();
    }

    private Script script() throws ScriptSyntaxException {
        List<String> options = new ArrayList<>();
        while (peek().kind() == Kind.OPTION) options.add(take().text());
        List<Event> events = new ArrayList<>();
        // packetdrill's init and cleanup commands: a backquoted command with no time before the
        // first event (run before it) or after the last one (run after it).
        if (peek().kind() == Kind.BACKQUOTE) events.add(new Event.Command(peek().line(), EventTime.absolute(0), take().text()));
        while (peek().kind() != Kind.END) {
            if (peek().kind() == Kind.BACKQUOTE) events.add(new Event.Command(peek().line(), EventTime.relative(0), take().text()));
            else events.add(event());
        }
        return new Script(options, events);
    }

    // ---- events ----

    private Event event() throws ScriptSyntaxException {
        int line = peek().line();
        EventTime time = eventTime();
        Long blockingEnd = null;
        if (peek().kind() == Kind.ELLIPSIS) {
            take();
            blockingEnd = number();
        }
        Token t = peek();
        Event e;
        if ((t.punct('<') || t.punct('>')) && isIcmp()) e = icmp(line, time);
        else if (t.punct('<') || t.punct('>')) e = new Event.Packet(line, time, packet());
        else if (t.kind() == Kind.BACKQUOTE) e = new Event.Command(line, time, take().text());
        else if (t.kind() == Kind.CODE) e = new Event.Code(line, time, take().text());
        else if (t.kind() == Kind.WORD) e = new Event.Call(line, time, blockingEnd, syscall());
        else throw error(t, "syntax error: expected a packet, system call, command or code block, got " + t);
        if (blockingEnd != null && !(e instanceof Event.Call)) throw error(t, "only a system call can block with '...'");
        boolean outbound = e instanceof Event.Packet p && !p.packet().inbound();
        if (time.kind() == EventTime.Kind.ANY && !outbound) {
            throw new ScriptSyntaxException(line, "event time <star> can only be used with outbound packets");
        }
        if (time.isRange() && !outbound) throw new ScriptSyntaxException(line, "event time range can only be used with outbound packets");
        return e;
    }

    private EventTime eventTime() throws ScriptSyntaxException {
        if (peek().punct('*')) {
            take();
            return EventTime.ANY;
        }
        boolean relative = optional('+');
        long start = number();
        if (!peek().punct('~')) return relative ? EventTime.relative(start) : EventTime.absolute(start);
        take();
        boolean endRelative = optional('+');
        long end = number();
        if (relative != endRelative) throw error(peek(), "a time range must be both absolute or both relative");
        return new EventTime(relative ? EventTime.Kind.RELATIVE_RANGE : EventTime.Kind.ABSOLUTE_RANGE, start, end);
    }

    /** Seconds as written (integer or decimal) to microseconds, exactly. */
    private long number() throws ScriptSyntaxException {
        Token t = take();
        if (t.kind() != Kind.INTEGER && t.kind() != Kind.FLOAT) throw error(t, "expected a time in seconds, got " + t);
        // An integer may be hexadecimal, as everywhere in packetdrill's grammar: whole seconds.
        BigDecimal secs = t.kind() == Kind.INTEGER ? BigDecimal.valueOf(parseInteger(t))
                : new BigDecimal(t.text().startsWith(".") ? "0" + t.text() : t.text().replace("-.", "-0."));
        if (secs.signum() < 0) throw error(t, "negative time");
        try {
            return secs.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            // Past 2^63 microseconds (292,000 years): a syntax error of the script, not the runner's failure.
            throw error(t, "time out of range: " + t.text());
        }
    }

    // ---- packets ----

    private ScriptPacket packet() throws ScriptSyntaxException {
        Token dir = take();
        boolean inbound = dir.punct('<');
        String ipInfo = null;
        if (peek().punct('[') || peek().punct('(')) ipInfo = bracketed();
        String flags = flags();
        long seq = integer("sequence number");
        expect(':');
        long end = integer("end sequence number");
        expect('(');
        long len = integer("payload length");
        expect(')');
        if (end != seq + len) throw error(dir, "inconsistent TCP sequence numbers and payload size");
        Long ack = null;
        Integer win = null;
        Integer urg = null;
        List<TcpOption> options = List.of();
        while (true) {
            Token t = peek();
            if (t.word("ack")) {
                take();
                ack = integer("ack number");
            } else if (t.word("win")) {
                take();
                win = (int) integer("window");
            } else if (t.word("urg")) {
                take();
                urg = (int) integer("urgent pointer");
            } else if (t.punct('<')) {
                options = options();
            } else {
                break;
            }
        }
        if (inbound && win == null) throw error(dir, "window must be specified for inbound packets");
        if (inbound && options == null) throw error(dir, "<...> for TCP options can only be used with outbound packets");
        return new ScriptPacket(inbound, flags, seq, (int) len, ack, win, urg, options, ipInfo);
    }

    /** The direction is followed (after an optional {@code [...]}/{@code (...)} annotation) by {@code icmp}. */
    private boolean isIcmp() {
        int i = 1;
        if (peekAt(i).punct('[') || peekAt(i).punct('(')) {
            char close = peekAt(i).punct('[') ? ']' : ')';
            while (!peekAt(i).punct(close) && peekAt(i).kind() != Kind.END) i++;
            i++;
        }
        return peekAt(i).word("icmp");
    }

    /**
     * parser.y's icmp_packet_spec: {@code < icmp TYPE [CODE] [mtu N] [id N] [echoed]}, the
     * echoed part {@code [seq:end(len)]}, {@code [udp (len)]} or {@code [raw (len)]}.
     */
    private Event.Icmp icmp(int line, EventTime time) throws ScriptSyntaxException {
        boolean inbound = take().punct('<');
        if (peek().punct('[') || peek().punct('(')) bracketed();
        expectWord("icmp");
        Token type = take();
        if (type.kind() != Kind.WORD) throw error(type, "expected an ICMP type, got " + type);
        String code = peek().kind() == Kind.WORD && !peek().word("mtu") && !peek().word("id") ? take().text() : null;
        Long mtu = null;
        if (peek().word("mtu")) {
            take();
            mtu = integer("ICMP mtu");
        }
        if (peek().word("id")) {
            take();
            integer("ICMP echo id");
        }
        String echoed = peek().punct('[') ? bracketed() : null;
        return new Event.Icmp(line, time, inbound, type.text(), code, mtu, echoed);
    }

    /** {@code S.}, {@code P.}, {@code .}, {@code -} (none): letters of FSRPUEWA and '.', written together. */
    private String flags() throws ScriptSyntaxException {
        StringBuilder b = new StringBuilder();
        while (true) {
            Token t = peek();
            if (t.punct('.')) b.append('.');
            else if (t.punct('-') && b.isEmpty()) { take(); return ""; }
            else if (t.kind() == Kind.WORD && t.text().chars().allMatch(c -> FLAG_LETTERS.indexOf(c) >= 0)) b.append(t.text());
            else break;
            take();
        }
        if (b.isEmpty()) throw error(peek(), "expected TCP flags, got " + peek());
        return b.toString();
    }

    /** The text of a {@code [ect0]} or {@code (ecn ...)} annotation, brackets included. */
    private String bracketed() throws ScriptSyntaxException {
        Token open = take();
        char close = open.punct('[') ? ']' : ')';
        StringBuilder b = new StringBuilder(open.text());
        Token previous = open;
        while (!peek().punct(close)) {
            if (peek().kind() == Kind.END) throw error(open, "unterminated " + open.text());
            // Words stay apart ("tos 0x4"); punctuation joins ("0:1000(1000)").
            if (previous.kind() == Kind.WORD && peek().kind() != Kind.PUNCT) b.append(' ');
            previous = take();
            b.append(previous.text());
        }
        return b.append(take().text()).toString();
    }

    private List<TcpOption> options() throws ScriptSyntaxException {
        expect('<');
        if (peek().kind() == Kind.ELLIPSIS) {
            take();
            expect('>');
            return null;
        }
        List<TcpOption> list = new ArrayList<>();
        do {
            list.add(option());
        } while (optional(','));
        expect('>');
        return list;
    }

    private TcpOption option() throws ScriptSyntaxException {
        Token t = take();
        if (t.kind() != Kind.WORD) throw error(t, "expected a TCP option, got " + t);
        switch (t.text()) {
            case "nop": return new TcpOption.Nop();
            case "eol": return new TcpOption.Eol();
            case "sackOK": return new TcpOption.SackPermitted();
            case "mss": return new TcpOption.Mss((int) integer("mss"));
            case "wscale": return new TcpOption.WindowScale((int) integer("wscale"));
            case "TS": {
                expectWord("val");
                long val = integer("TS val");
                expectWord("ecr");
                return new TcpOption.Timestamp(val, integer("TS ecr"));
            }
            case "sack": {
                List<long[]> blocks = new ArrayList<>();
                while (peek().kind() == Kind.INTEGER) {
                    long l = integer("SACK left edge");
                    expect(':');
                    blocks.add(new long[] {l, integer("SACK right edge")});
                }
                return new TcpOption.Sack(blocks);
            }
            case "FO", "FOEXP": {
                // parser.y's opt_tcp_fast_open_cookie: an even number of hex digits, or nothing (a cookie request).
                StringBuilder hex = new StringBuilder();
                while (!peek().punct(',') && !peek().punct('>') && peek().kind() != Kind.END) hex.append(take().text());
                String cookie = hex.toString().toLowerCase(java.util.Locale.ROOT);
                if (!cookie.matches("([0-9a-f]{2})*") || cookie.length() > 76) throw error(t, "bad TCP fast open cookie: " + cookie);
                return new TcpOption.FastOpen(t.text().equals("FOEXP"), cookie);
            }
            default: {
                StringBuilder text = new StringBuilder(t.text());
                while (!peek().punct(',') && !peek().punct('>') && peek().kind() != Kind.END) text.append(' ').append(take().text());
                return new TcpOption.Unsupported(t.text(), text.toString());
            }
        }
    }

    // ---- system calls ----

    private Syscall syscall() throws ScriptSyntaxException {
        String name = take().text();
        expect('(');
        List<Expr> args = exprList(')');
        expect('=');
        Expr result = expr();
        String errno = null;
        String note = null;
        if (peek().kind() == Kind.WORD && peek().text().startsWith("E")) errno = take().text();
        if (peek().punct('(')) {
            Token open = take();
            StringBuilder b = new StringBuilder();
            int depth = 1;
            while (true) {
                Token t = take();
                if (t.kind() == Kind.END) throw error(open, "unterminated note");
                if (t.punct('(')) depth++;
                if (t.punct(')') && --depth == 0) break;
                if (!b.isEmpty() && !t.punct(',') && !t.punct('.')) b.append(' ');
                b.append(t.text());
            }
            note = b.toString();
        }
        return new Syscall(name, args, result, errno, note);
    }

    private List<Expr> exprList(char close) throws ScriptSyntaxException {
        List<Expr> list = new ArrayList<>();
        if (optional(close)) return list;
        do {
            list.add(expr());
        } while (optional(','));
        expect(close);
        return list;
    }

    private Expr expr() throws ScriptSyntaxException {
        Expr first = primary();
        if (!peek().punct('|')) return first;
        List<Expr> terms = new ArrayList<>(List.of(first));
        while (optional('|')) terms.add(primary());
        return new Expr.Or(terms);
    }

    private Expr primary() throws ScriptSyntaxException {
        Token t = take();
        return switch (t.kind()) {
            case INTEGER -> new Expr.Num(parseInteger(t));
            case STRING -> new Expr.Str(t.text());
            case ADDRESS -> new Expr.Str(t.text());
            case ELLIPSIS -> new Expr.Ellipsis();
            case WORD -> peek().punct('(') ? call(t.text()) : new Expr.Sym(t.text());
            case PUNCT -> switch (t.text()) {
                case "[" -> new Expr.Array(exprList(']'));
                case "{" -> struct();
                default -> throw error(t, "syntax error in expression at " + t);
            };
            default -> throw error(t, "syntax error in expression at " + t);
        };
    }

    private Expr call(String name) throws ScriptSyntaxException {
        expect('(');
        return new Expr.Call(name, exprList(')'));
    }

    private Expr struct() throws ScriptSyntaxException {
        List<Expr.Field> fields = new ArrayList<>();
        if (!optional('}')) {
            do {
                if (peek().kind() == Kind.WORD && peekAt(1).punct('=')) {
                    String name = take().text();
                    take();
                    fields.add(new Expr.Field(name, expr()));
                } else if (peek().kind() == Kind.WORD && peekAt(1).punct('(')) {
                    // msghdr's msg_name(...)=... and msg_iov(N)=[...]; otherwise a call such as htons(80).
                    Token name = take();
                    Expr call = call(name.text());
                    if (optional('=')) fields.add(new Expr.Field(name.text(), expr()));
                    else fields.add(new Expr.Field(null, call));
                } else {
                    fields.add(new Expr.Field(null, expr()));
                }
            } while (optional(','));
            expect('}');
        }
        return new Expr.Struct(fields);
    }

    // ---- tokens ----

    private long integer(String what) throws ScriptSyntaxException {
        Token t = take();
        if (t.kind() != Kind.INTEGER) throw error(t, "expected " + what + ", got " + t);
        return parseInteger(t);
    }

    private static long parseInteger(Token t) throws ScriptSyntaxException {
        try {
            String s = t.text();
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ScriptSyntaxException(t.line(), "number out of range: " + t.text());
        }
    }

    private Token peek() { return tokens.get(pos); }

    private Token peekAt(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

    private Token take() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) pos++;
        return t;
    }

    private boolean optional(char c) {
        if (!peek().punct(c)) return false;
        take();
        return true;
    }

    private void expect(char c) throws ScriptSyntaxException {
        Token t = take();
        if (!t.punct(c)) throw error(t, "syntax error: expected '" + c + "', got " + t);
    }

    private void expectWord(String w) throws ScriptSyntaxException {
        Token t = take();
        if (!t.word(w)) throw error(t, "syntax error: expected '" + w + "', got " + t);
    }

    private static ScriptSyntaxException error(Token t, String message) {
        return new ScriptSyntaxException(t.line(), message);
    }
}
