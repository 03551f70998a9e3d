/**
 * The admin gateway: {@link dev.socketserver.admin.AdminGateway} (an embeddable HTTP API over the
 * servers of a {@link dev.socketserver.ServerRegistry}) and
 * {@link dev.socketserver.admin.ServerMeterBinder} (the servers' counters as Micrometer meters).
 */
package dev.socketserver.admin;
