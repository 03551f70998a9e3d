/** The REST admin gateway (placeholder until the admin issue lands). */
module dev.socketserver.admin {
    requires dev.socketserver.api;
}
