package org.idream.backup.process;

import java.io.IOException;

/** The failure of work done on another thread, as the work threw it. */
public final class Causes {
    private Causes() {
    }

    /**
     * What to throw for {@code failure} caught from another thread (a pool's ExecutionException's cause, a
     * reader thread's): the first IOException in its chain (a pool wraps a checked exception in
     * RuntimeExceptions, a stream in UncheckedIOException); else a RuntimeException or an Error thrown as it
     * is; else an IOException naming {@code what} around it.
     */
    public static IOException io(Throwable failure, String what) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IOException(what + ": " + failure, failure);
    }
}
