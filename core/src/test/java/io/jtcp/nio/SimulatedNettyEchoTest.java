package io.jtcp.nio;

import static org.assertj.core.api.Assertions.assertThat;

import io.jtcp.api.StackLoop;
import io.jtcp.link.sim.LinkParams;
import io.jtcp.observe.TextTracePrinter;
import io.jtcp.simulation.Simulation;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Netty's NIO transport, unmodified, on the simulator: its event loops run on the
 * simulation's threads (Netty takes a ThreadFactory) and select through jtcp's provider,
 * over a link with 5% loss and reordering. Same seed, same trace; another seed, another.
 */
class SimulatedNettyEchoTest {

    private static String run(long seed) throws Exception {
        Simulation sim = new Simulation(seed);
        StackLoop serverHost = sim.addHost("server", "10.0.0.1");
        StackLoop clientHost = sim.addHost("client", "10.0.0.2");
        sim.network().setDefaultLink(LinkParams.DEFAULT.withDelay(Duration.ofMillis(10))
                .withLoss(0.05).withReorder(0.05, Duration.ofMillis(4)));
        StringBuilder trace = new StringBuilder();
        sim.setTrace(new TextTracePrinter(trace));
        byte[] data = new byte[256 * 1024];
        new Random(seed).nextBytes(data);

        byte[] echoed = sim.call(clientHost, () -> {
            JtcpSelectorProvider serverSide = new JtcpSelectorProvider(serverHost), clientSide = new JtcpSelectorProvider(clientHost);
            EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, sim.threadFactory(serverHost), NioIoHandler.newFactory(serverSide));
            EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, sim.threadFactory(clientHost), NioIoHandler.newFactory(clientSide));
            try {
                Channel server = new ServerBootstrap().group(serverGroup)
                        .channelFactory((ChannelFactory<NioServerSocketChannel>) () -> new NioServerSocketChannel(serverSide))
                        .childHandler(new NettyEchoTest.Echo())
                        .bind(new InetSocketAddress("10.0.0.1", 7)).sync().channel();
                NettyEchoTest.Client client = new NettyEchoTest.Client(data);
                Channel c = new Bootstrap().group(clientGroup)
                        .channelFactory((ChannelFactory<NioSocketChannel>) () -> new NioSocketChannel(clientSide))
                        .handler(client)
                        .connect(new InetSocketAddress("10.0.0.1", 7)).sync().channel();
                byte[] back = client.echoed.get();
                c.close().sync();
                server.close().sync();
                return back;
            } finally {
                shutDown(clientGroup);
                shutDown(serverGroup);
            }
        });
        assertThat(echoed).isEqualTo(data);
        return trace.toString();
    }

    /**
     * Waits for each event loop's own termination. Not the group's future: Netty completes that
     * from its GlobalEventExecutor, a platform thread of its own that the simulation cannot follow
     * (docs/simulation.md, "What breaks determinism").
     */
    private static void shutDown(EventLoopGroup group) throws InterruptedException {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        for (EventExecutor loop : group) loop.terminationFuture().sync();
    }

    @Test
    void nettyEchoRunsDeterministicallyUnderLoss() throws Exception {
        String first = run(21);
        assertThat(first).contains("Flags [S]").contains("ESTABLISHED");
        assertThat(run(21)).isEqualTo(first);
        assertThat(run(22)).isNotEqualTo(first);
    }
}
