package dev.socketserver.impl;

import dev.socketserver.MixIn;
import dev.socketserver.ThreadingMixIn;
import dev.socketserver.VirtualThreadingMixIn;

/** The three concurrency policies every scenario runs under. */
enum Concurrency {
    SYNC,
    THREADING,
    VIRTUAL;

    MixIn newMixIn() {
        return switch (this) {
            case SYNC -> MixIn.synchronous();
            case THREADING -> new ThreadingMixIn();
            case VIRTUAL -> new VirtualThreadingMixIn();
        };
    }
}
