/** Runs packetdrill scripts against a jtcp stack in virtual time. */
module io.jtcp.packetdrill {
    requires transitive io.jtcp.core;

    exports io.jtcp.packetdrill;
}
