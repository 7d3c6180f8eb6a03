/** The jtcp command line. Opened to picocli, which reads the commands' annotated fields reflectively. */
module io.jtcp.cli {
    requires io.jtcp.core;
    requires io.jtcp.scenarios;
    requires io.jtcp.tun;
    requires io.jtcp.bench;
    requires io.jtcp.packetdrill;
    requires info.picocli;

    opens io.jtcp.cli to info.picocli;
}
