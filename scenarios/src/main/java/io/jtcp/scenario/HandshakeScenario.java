package io.jtcp.scenario;

import io.jtcp.config.Sysctls;
import io.jtcp.api.ConnectionStatus;

/** The three-way handshake, with a server whose MTU is smaller so the MSS negotiation shows. */
final class HandshakeScenario implements Scenario {
    @Override public String name() { return "handshake"; }

    @Override public String title() { return "three-way handshake; both sides send at most the smaller MSS"; }

    @Override
    public Explanation run(Run run) throws Exception {
        Sysctls cfg = run.options.sysctls();
        World w = run.world(cfg, cfg.set("mtu", "1400"));
        byte[] bulk = new byte[4000];
        Conversation c = Conversation.start(w, new App(w.net).sends(bulk, App.AfterSending.CLOSE),
                () -> new App(w.net).closesOnEof(0));
        w.net.runFor(World.ms(12));
        run.show("the handshake is complete: SYN, SYN-ACK, ACK");
        ConnectionStatus s = w.client.connections().getFirst();
        w.runUntilEmpty();
        return Explanation.of(
                "The client sent SYN offering MSS " + cfg.mss() + "; the server answered SYN-ACK offering " + (1400 - 40)
                        + " (its MTU is 1400); the client's ACK completed the handshake.",
                "Each side now sends segments no larger than the smaller offer: " + s.advertisedMss() + " vs "
                        + (1400 - 40) + " -> " + s.sndMss() + " bytes of data"
                        + (s.timestamps() ? " once the 12 bytes of the timestamp option are taken off." : "."),
                "So the client's " + bulk.length + " bytes left in segments of at most " + s.sndMss() + " bytes.");
    }
}
