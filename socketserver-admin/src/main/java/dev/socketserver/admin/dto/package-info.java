/**
 * The JSON bodies of the admin API, as records. Not exported; opened to Jackson only.
 */
package dev.socketserver.admin.dto;
