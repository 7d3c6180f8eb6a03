package io.jtcp.packetdrill;

/** The script needs something the runner or jtcp does not have yet; {@code feature} names it. */
final class UnsupportedFeature extends Exception {
    final String feature;

    UnsupportedFeature(String feature) {
        super("unsupported: " + feature);
        this.feature = feature;
    }
}
