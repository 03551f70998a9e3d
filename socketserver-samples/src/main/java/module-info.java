/** Runnable samples (placeholder until the samples issue lands). */
module dev.socketserver.samples {
    requires dev.socketserver.api;
}
