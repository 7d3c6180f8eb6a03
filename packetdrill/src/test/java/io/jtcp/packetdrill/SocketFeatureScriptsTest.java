package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scripts for epoll and TCP_INQ's control message, each checked against Linux 6.18 with upstream packetdrill. */
class SocketFeatureScriptsTest {
    private static final Path SCRIPTS = Path.of("src/test/resources/scripts");

    @ParameterizedTest
    @ValueSource(strings = {"epoll-edge-triggered.pkt", "inq-control-message.pkt"})
    void passesAsOnLinux(String name) {
        Outcome o = Packetdrill.run(SCRIPTS.resolve(name), new RunnerOptions());
        assertThat(o.result()).as(o.describe()).isEqualTo(Outcome.Result.PASS);
    }
}
