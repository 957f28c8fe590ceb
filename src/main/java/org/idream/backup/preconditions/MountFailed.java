package org.idream.backup.preconditions;

/** A mount attempt did not leave the file system mounted; retried by the mount's redelivery policy. */
public class MountFailed extends PreconditionFailed {
    public MountFailed(String message) {
        super(message);
    }
}
