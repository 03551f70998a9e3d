package bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.io.File;
import java.util.List;

/**
 * The benchmark's Netty TLS anchor: the plaintext anchor's echo (../shared/bench/netty-echo, NIO
 * transport, default event loops, backlog 4096) behind an {@code SslHandler} on the JDK's own TLS
 * ({@code SslProvider.JDK}: the same {@code SSLEngine} this library uses, not OpenSSL/BoringSSL), with
 * the certificate, key, protocol and cipher suite the harness gives every TLS server of a run.
 *
 * usage: NettyTlsEcho --tcp PORT --cert PEM --key PEM [--protocol TLSv1.3] [--cipher TLS_AES_128_GCM_SHA256]
 *                     [--host 127.0.0.1] [--once] [--workers N]
 * --once: close (with close_notify) after echoing the first decrypted read: the connect-per-request scenario.
 */
public final class NettyTlsEcho {

    /** As the plaintext anchor: write each read, flush once per read burst. */
    @Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) { ctx.write(msg); }
        @Override public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }

    @Sharable
    static final class OnceEcho extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
        }
        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) { ctx.close(); }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1", cert = null, key = null, protocol = "TLSv1.3", cipher = "TLS_AES_128_GCM_SHA256";
        int tcp = 0, workers = 0;
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--tcp" -> tcp = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--cert" -> cert = args[++i];
                case "--key" -> key = args[++i];
                case "--protocol" -> protocol = args[++i];
                case "--cipher" -> cipher = args[++i];
                case "--once" -> once = true;
                default -> throw new IllegalArgumentException("unknown arg " + args[i]);
            }
        }
        if (tcp <= 0 || cert == null || key == null) {
            throw new IllegalArgumentException("--tcp PORT --cert PEM --key PEM are required");
        }
        if (!host.startsWith("127.") && !host.equals("::1")) {
            throw new IllegalArgumentException("loopback only: " + host);
        }
        SslContext ssl = SslContextBuilder.forServer(new File(cert), new File(key))
                .sslProvider(SslProvider.JDK)
                .protocols(protocol)
                .ciphers(List.of(cipher))
                .build();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup group = workers > 0 ? new MultiThreadIoEventLoopGroup(workers, NioIoHandler.newFactory())
                                           : new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        ChannelInboundHandlerAdapter h = once ? new OnceEcho() : new Echo();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), h);
                    }
                });
        Channel ch = b.bind(host, tcp).sync().channel();
        System.err.println("netty-tls-echo nio ready tcp=" + tcp + " provider=JDK protocol=" + protocol + " cipher=" + cipher
                + " workers=" + (workers > 0 ? workers : "default") + " cpus=" + Runtime.getRuntime().availableProcessors());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boss.shutdownGracefully();
            group.shutdownGracefully();
        }));
        ch.closeFuture().sync();
    }
}
