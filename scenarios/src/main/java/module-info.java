/** The seeds' stories of TCP's lifecycle, runnable on jtcp's simulator: the demo and {@code jtcp scenario}. */
module io.jtcp.scenarios {
    requires transitive io.jtcp.core;

    exports io.jtcp.scenario;
    exports io.jtcp.scenario.soak;
}
