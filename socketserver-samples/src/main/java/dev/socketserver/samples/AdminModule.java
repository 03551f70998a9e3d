package dev.socketserver.samples;

import java.io.IOException;

/**
 * Whether the admin gateway can be used in this JVM. The samples module only {@code requires static}
 * {@code dev.socketserver.admin}, so it is there only when it was put on the module path and resolved
 * ({@code --add-modules dev.socketserver.admin}, which the launcher adds for {@code --admin} and
 * {@code demo}). Asked before {@link AdminSide} is touched, so a missing gateway is one clear line
 * instead of a {@code NoClassDefFoundError}.
 */
final class AdminModule {

    static final String NAME = "dev.socketserver.admin";

    private AdminModule() {
    }

    /**
     * Fails unless the admin gateway's classes can be loaded.
     *
     * @param what what needs it, e.g. {@code --admin} or {@code demo}, for the message
     * @throws IOException naming the missing module and how to add it
     */
    static void require(String what) throws IOException {
        if (!present()) {
            throw new IOException(what + " needs the admin gateway, module " + NAME + ", which is not on the module path"
                    + " (build socketserver-admin, then add its jar and target/lib to -p with --add-modules " + NAME
                    + "; the launcher does this)");
        }
    }

    /**
     * Tells whether the gateway is there: resolved as a module (and so read by the samples), or on the class path.
     *
     * @return {@code true} if {@code AdminGateway} can be loaded
     */
    static boolean present() {
        try {
            Class.forName(NAME + ".AdminGateway", false, AdminModule.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
