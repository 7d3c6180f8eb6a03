package io.jtcp.api;

import io.jtcp.link.MemoryNetwork;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** README.md's "Using jtcp as a library" example, verbatim, so it keeps compiling and working. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadmeExampleTest {
    @Test
    void theReadmeExampleRuns() throws Exception {
        byte[] got;
        MemoryNetwork net = new MemoryNetwork();
        try (StackLoop serverHost = StackLoop.start("server", "10.0.0.2", net);
             StackLoop clientHost = StackLoop.start("client", "10.0.0.1", net)) {
            TcpServerSocket server = TcpServerSocket.listen(serverHost, 7, 128);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            TcpSocket client = TcpSocket.open(clientHost);
            client.connect("10.0.0.2", 7);
            client.getOutputStream().write("hello".getBytes());
            client.shutdownOutput();                                         // FIN: the server reads -1 after "hello"
            got = accepted.join().getInputStream().readAllBytes();    // "hello"
        }
        assertThat(new String(got)).isEqualTo("hello");
    }
}
