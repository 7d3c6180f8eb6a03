package io.jtcp.scenario;

import io.jtcp.observe.TraceSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's path into TIME_WAIT must not initialize heavy JDK classes on the stack's
 * thread. It did: {@code Sysctls.timeWait()} used {@code Duration.multipliedBy}, whose
 * BigDecimal arithmetic ran BigDecimal's static initializer (15-50 ms, measured over TUN)
 * between the peer's FIN arriving and our final ACK leaving, so the Linux peer's tail-loss
 * probe resent its FIN, our TIME_WAIT re-ACKed it, and the peer, by then closed, sent RST.
 * A class can be initialized only once per JVM, so the check runs a full four-way close in
 * a fresh JVM with class loading logged.
 */
class ColdTimeWaitTest {
    /** Runs in the child JVM: a client close through TIME_WAIT to CLOSED on the simulator. */
    public static void main(String[] args) throws Exception {
        Scenarios.named("four-way-close").orElseThrow()
                .run(new Run(ScenarioOptions.defaults(), Reporter.traceOnly(TraceSink.NONE)));
        System.out.println("ran to the end");
    }

    @Test
    void theFirstTimeWaitInAJvmLoadsNoBigDecimal() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(List.of(java, "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                ColdTimeWaitTest.class.getName())).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the child JVM did not finish");
        }
        assertThat(out).as("the child's output").contains("ran to the end");
        assertThat(out.lines().filter(l -> l.contains("java.math.BigDecimal ")).toList())
                .as("BigDecimal loaded on the way to TIME_WAIT").isEmpty();
    }
}
