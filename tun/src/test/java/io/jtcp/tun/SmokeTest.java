package io.jtcp.tun;

import io.jtcp.api.TcpServerSocket;
import io.jtcp.api.TcpSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void kernelClientEchoesThroughJtcp() throws Exception {
        KernelPeer.assumeKernel();
        try (KernelPeer p = new KernelPeer()) {
            p.loop.execute(() -> p.loop.stack().setTrace(new io.jtcp.observe.TextTracePrinter(System.out)));
            TcpServerSocket server = TcpServerSocket.listen(p.loop, 7, 16);
            CompletableFuture<TcpSocket> accepted = server.acceptAsync();
            try (Socket k = p.kernelConnect(7)) {
                TcpSocket s = KernelPeer.bounded(accepted);
                k.getOutputStream().write("hello".getBytes());
                byte[] got = s.getInputStream().readNBytes(5);
                assertThat(new String(got)).isEqualTo("hello");
                System.out.println(p.ns("ss", "-tin"));
                System.out.println(p.connections());
                System.out.println("notIpv4 " + p.host.link().notIpv4());
            }
        }
    }
}
