/**
 * jtcp over a Linux TUN device (java.lang.foreign), network namespaces, and the scenarios played
 * against the kernel as the peer. Run with {@code --enable-native-access=io.jtcp.tun}.
 */
module io.jtcp.tun {
    requires transitive io.jtcp.core;
    requires transitive io.jtcp.scenarios;
    requires java.management;

    exports io.jtcp.tun;
    exports io.jtcp.tun.scenario;
}
