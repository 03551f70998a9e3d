package dev.socketserver.spi;

/**
 * Options applied to a server socket before it is bound.
 *
 * @param reuseAddress Python's {@code allow_reuse_address}: {@code SO_REUSEADDR}, set explicitly
 *     either way (Java listeners default to on, Python's to off)
 * @param reusePort Python's {@code allow_reuse_port}: {@code SO_REUSEPORT}; ignored by families that
 *     do not support it (Unix domain sockets)
 * @param backlog Python's {@code request_queue_size}: the {@code listen()} backlog, stream only
 */
public record BindOptions(boolean reuseAddress, boolean reusePort, int backlog) {
}
