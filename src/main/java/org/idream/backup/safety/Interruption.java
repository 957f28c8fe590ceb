package org.idream.backup.safety;

import org.idream.backup.outcome.Failure;
import org.idream.backup.outcome.RunOutcome;
import org.idream.backup.process.ProcessRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT. The first signal stops every rclone this process started and marks the run
 * interrupted: its steps stop early, the report says so, the lock is released, and the exit code is
 * 143 (TERM) or 130 (INT). A second signal exits at once (the OS releases the lock).
 */
public final class Interruption {
    private static final Logger LOG = LoggerFactory.getLogger("backup");

    private volatile RunOutcome outcome;
    private volatile Runnable whenSignalled = () -> { };

    /** Installs the handlers for TERM and INT (the real process only, never inside tests' JVM). */
    @SuppressWarnings("restriction")
    public void installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signal(name));
        }
    }

    /** What else to do on the first signal (the daemon: stop the schedule). */
    public void whenSignalled(Runnable action) {
        whenSignalled = action;
    }

    /** Acts on a signal, by its name: TERM or INT. */
    public void signal(String name) {
        RunOutcome o = name.equals("INT") ? RunOutcome.INTERRUPTED_INT : RunOutcome.INTERRUPTED_TERM;
        if (outcome != null) {
            LOG.error("second signal (SIG{}): exiting now", name);
            Runtime.getRuntime().halt(o.exitCode());
        }
        outcome = o;
        LOG.warn("received SIG{}: stopping rclone, ending the run (send it again to exit at once)", name);
        Thread stopper = new Thread(() -> {
            ProcessRunner.stopAll();
            whenSignalled.run();
        }, "signal-" + name);
        stopper.setDaemon(true);
        stopper.start();
    }

    public boolean interrupted() {
        return outcome != null;
    }

    /** The outcome a signal gives the run, or null. */
    public RunOutcome outcome() {
        return outcome;
    }

    /** Throws when a signal came: the run stops at the next step. */
    public void check() {
        if (outcome != null) {
            throw new Interrupted(outcome);
        }
    }

    /** The run was interrupted by a signal. */
    public static final class Interrupted extends Failure {
        Interrupted(RunOutcome outcome) {
            super(outcome, outcome.text());
        }

        @Override
        public boolean alreadyTold() {
            return true;   // the signal's own line said it
        }
    }
}
