package io.jtcp.host;

/** A listener's application: told when connections wait in the accept queue, it takes them with {@link Listening#accept}. */
@FunctionalInterface
public interface ListenHandler {
    void acceptable(Listening listener, long now);
}
