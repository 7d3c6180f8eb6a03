package io.jtcp.nio;

import io.jtcp.api.Hosts;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** Netty's NIO transport, unmodified, on jtcp's provider: an echo server on one host, a client on the other. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NettyEchoTest {

    /** Writes back what it reads. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Sends {@code data} when connected and completes {@code echoed} once as many bytes came back. */
    static final class Client extends ChannelInboundHandlerAdapter {
        private final byte[] data;
        private final ByteArrayOutputStream back = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> echoed = new CompletableFuture<>();

        Client(byte[] data) { this.data = data; }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(data));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                b.readBytes(back, b.readableBytes());
            } catch (java.io.IOException e) {
                echoed.completeExceptionally(e);
            } finally {
                b.release();
            }
            if (back.size() >= data.length) echoed.complete(back.toByteArray());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            echoed.completeExceptionally(cause);
        }
    }

    @Test
    void nettyEchoServerAndClientOnJtcp() throws Exception {
        byte[] data = new byte[2 << 20];
        new Random(11).nextBytes(data);
        try (Hosts h = new Hosts()) {
            JtcpSelectorProvider serverSide = new JtcpSelectorProvider(h.server), clientSide = new JtcpSelectorProvider(h.client);
            EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(serverSide));
            EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(clientSide));
            try {
                Channel server = new ServerBootstrap().group(serverGroup)
                        .channelFactory((ChannelFactory<NioServerSocketChannel>) () -> new NioServerSocketChannel(serverSide))
                        .childHandler(new Echo())
                        .bind(new InetSocketAddress(Hosts.SERVER, 7)).sync().channel();
                assertThat(server.localAddress()).isEqualTo(new InetSocketAddress(Hosts.SERVER, 7));

                Client client = new Client(data);
                Channel c = new Bootstrap().group(clientGroup)
                        .channelFactory((ChannelFactory<NioSocketChannel>) () -> new NioSocketChannel(clientSide))
                        .handler(client)
                        .connect(new InetSocketAddress(Hosts.SERVER, 7)).sync().channel();
                assertThat(((InetSocketAddress) c.localAddress()).getAddress().getHostAddress()).isEqualTo(Hosts.CLIENT);
                assertThat(Arrays.equals(Hosts.bounded(client.echoed), data)).as("echoed intact").isTrue();
                c.close().sync();
                server.close().sync();
            } finally {
                clientGroup.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
                serverGroup.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
            }
        }
    }
}
