/**
 * Benchmarks: JMH micro-benchmarks and the macro harness behind {@code jtcp bench}. Open, because JMH
 * instantiates the benchmark classes and the classes its annotation processor generates reflectively.
 */
open module io.jtcp.bench {
    requires transitive io.jtcp.core;
    requires io.jtcp.tun;
    requires java.management;
    requires jdk.management;
    requires jmh.core;

    exports io.jtcp.bench;
}
