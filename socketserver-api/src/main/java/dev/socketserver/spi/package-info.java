/**
 * The engine SPI: what {@code dev.socketserver.impl} implements for the server classes.
 *
 * <p>Application code never needs these types; they exist so the API module has no dependency
 * on the engine, and so a different engine (for example an all-FFM one) can be dropped in.
 */
package dev.socketserver.spi;
