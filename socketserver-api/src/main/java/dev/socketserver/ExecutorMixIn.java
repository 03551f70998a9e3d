package dev.socketserver;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The policy behind {@link MixIn#executor(Executor)}: each job runs on a user's executor, and
 * {@code serverClose()} waits for the jobs it gave that executor.
 */
final class ExecutorMixIn extends MixIn {

    private final Executor executor;
    private final RunningJobs running = new RunningJobs();

    ExecutorMixIn(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Gives the job to the executor; a rejection propagates, so the server closes the request. */
    @Override
    protected void processRequest(RequestJob job) {
        running.started();
        try {
            executor.execute(() -> {
                try {
                    job.run();
                } finally {
                    running.ended();
                }
            });
        } catch (RuntimeException | Error e) {
            running.ended();
            throw e;
        }
    }

    @Override
    protected boolean serverClose(Duration timeout) throws InterruptedException {
        return running.awaitNone(timeout);
    }

    @Override
    public String name() {
        return "executor";
    }
}
