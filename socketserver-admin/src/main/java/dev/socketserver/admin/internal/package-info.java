/**
 * The gateway's machinery: routes, auth, error mapping, timeout parsing, HTTP metrics and the command
 * line. Not exported.
 */
package dev.socketserver.admin.internal;
