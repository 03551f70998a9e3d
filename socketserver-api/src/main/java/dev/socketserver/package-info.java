/**
 * Python's {@code socketserver} module in Java: the same classes and hooks, Java casing.
 *
 * <pre>{@code
 * class Echo extends StreamRequestHandler {
 *     @Override protected void handle() throws IOException {
 *         wfile().write(rfile().readLine());
 *     }
 * }
 * try (var server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 8888), Echo::new)) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <table>
 *   <caption>Python &rarr; Java</caption>
 *   <tr><th>Python</th><th>Java</th></tr>
 *   <tr><td>{@code BaseServer(server_address, RequestHandlerClass)}</td><td>{@link dev.socketserver.BaseServer}, {@code AutoCloseable}</td></tr>
 *   <tr><td>{@code TCPServer}, {@code UnixStreamServer}</td><td>{@link dev.socketserver.TCPServer}, {@link dev.socketserver.UnixStreamServer}</td></tr>
 *   <tr><td>{@code UDPServer}, {@code UnixDatagramServer}</td><td>{@link dev.socketserver.UDPServer}, {@link dev.socketserver.UnixDatagramServer} (native access, see its Javadoc)</td></tr>
 *   <tr><td>{@code ThreadingMixIn}, {@code ThreadingTCPServer}, {@code ThreadingUnixStreamServer}</td><td>{@link dev.socketserver.ThreadingMixIn}, {@link dev.socketserver.ThreadingTCPServer}, {@link dev.socketserver.ThreadingUnixStreamServer}</td></tr>
 *   <tr><td>{@code ThreadingUDPServer}, {@code ThreadingUnixDatagramServer}</td><td>{@link dev.socketserver.ThreadingUDPServer}, {@link dev.socketserver.ThreadingUnixDatagramServer}</td></tr>
 *   <tr><td>the datagram request {@code (data, socket)}</td><td>{@link dev.socketserver.DatagramRequest}: {@code packet()}, {@code truncated()}, {@code serverAddress()}, {@code sendto()}</td></tr>
 *   <tr><td>{@code max_packet_size}</td><td>{@link dev.socketserver.UDPServer#maxPacketSize()}, fixed before bind</td></tr>
 *   <tr><td>an abstract {@code AF_UNIX} name {@code '\0name'} (Linux)</td><td>{@link dev.socketserver.AbstractUnixAddress}</td></tr>
 *   <tr><td>(none)</td><td>{@link dev.socketserver.VirtualThreadingMixIn}: a virtual thread per request</td></tr>
 *   <tr><td>{@code ForkingMixIn}, {@code Forking*}</td><td>absent: the JVM cannot {@code fork()}, as CPython on Windows</td></tr>
 *   <tr><td>{@code RequestHandlerClass}</td><td>a factory: {@code MyHandler::new}</td></tr>
 *   <tr><td>{@code server_address}</td><td>{@link dev.socketserver.BaseServer#serverAddress()}</td></tr>
 *   <tr><td>{@code fileno()}</td><td>{@link dev.socketserver.BaseServer#fileno()}: the real descriptor, -1 once closed</td></tr>
 *   <tr><td>{@code serve_forever(poll_interval=0.5)}</td><td>{@link dev.socketserver.BaseServer#serveForever()}, {@code serveForever(Duration)}</td></tr>
 *   <tr><td>{@code handle_request()}</td><td>{@link dev.socketserver.BaseServer#handleRequest()}: returns whether a request was handled</td></tr>
 *   <tr><td>{@code shutdown()}, {@code server_close()}, {@code with}</td><td>{@link dev.socketserver.BaseServer#shutdown()}, {@link dev.socketserver.BaseServer#serverClose()}, try-with-resources</td></tr>
 *   <tr><td>{@code get_request}, {@code verify_request}, {@code process_request}, {@code finish_request}, {@code shutdown_request}, {@code close_request}, {@code handle_error}, {@code handle_timeout}, {@code service_actions}, {@code server_bind}, {@code server_activate}</td><td>same names in camelCase, overridable, called in CPython's order</td></tr>
 *   <tr><td>{@code timeout}, {@code request_queue_size}, {@code allow_reuse_address}, {@code allow_reuse_port}</td><td>{@code timeout()}, {@code requestQueueSize()}, {@code allowReuseAddress()}, {@code allowReusePort()} with setters, fixed before bind</td></tr>
 *   <tr><td>{@code daemon_threads}, {@code block_on_close}</td><td>{@link dev.socketserver.ThreadPerRequestMixIn#daemonThreads()}, {@link dev.socketserver.ThreadPerRequestMixIn#blockOnClose()}</td></tr>
 *   <tr><td>{@code bind_and_activate=False}</td><td>the constructor's {@code bindAndActivate = false}</td></tr>
 *   <tr><td>{@code BaseRequestHandler.setup/handle/finish}, {@code .request}, {@code .client_address}, {@code .server}</td><td>{@link dev.socketserver.BaseRequestHandler}: {@code setup()}, {@code handle()}, {@code finish()}, {@code request()}, {@code clientAddress()}, {@code server()}</td></tr>
 *   <tr><td>{@code DatagramRequestHandler.rfile}, {@code .wfile}, {@code .packet}, {@code .socket}</td><td>{@link dev.socketserver.DatagramRequestHandler}: {@code rfile()}, {@code wfile()}, {@code packet()}, {@code socket()}; {@code finish()} sends the reply</td></tr>
 *   <tr><td>{@code StreamRequestHandler.rfile}, {@code .wfile}, {@code rbufsize}, {@code wbufsize}, {@code timeout}, {@code disable_nagle_algorithm}</td><td>{@link dev.socketserver.StreamRequestHandler}: {@code rfile()}, {@code wfile()}, and overridable {@code rbufsize()}, {@code wbufsize()}, {@code timeout()}, {@code disableNagleAlgorithm()}</td></tr>
 * </table>
 *
 * <p>Where this library deliberately differs from CPython is listed on {@link dev.socketserver.BaseServer}.
 */
package dev.socketserver;
