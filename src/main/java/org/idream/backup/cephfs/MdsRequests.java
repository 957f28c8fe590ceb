package org.idream.backup.cephfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.idream.backup.config.Keys;
import org.idream.backup.config.Settings;
import org.idream.backup.model.BackupRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata requests a run made of CephFS's MDS, in a unit a site can plan with: the ceph-fuse client that
 * serves {@code ceph.mount-point} counts the replies it had to its metadata requests (perf counter
 * {@code client.reply}); read from its admin socket ({@code ceph.admin-socket-dir}) before the syncs and after
 * them, the difference is the run's (and any other process's through that mount on this host meanwhile).
 * The kernel client keeps no such count where this product can read it: then, as when no socket answers,
 * nothing is counted and the report has no {@code mdsRequests}.
 */
public final class MdsRequests {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Settings settings;

    public MdsRequests(Settings settings) {
        this.settings = settings;
    }

    /** Before the syncs. */
    public void before(BackupRun run) {
        run.mdsRequestsBefore(count().map(Count::replies).orElse(null));
    }

    /** After the syncs: the run's count, logged and in the report. */
    public void after(BackupRun run) {
        Long before = run.mdsRequestsBefore();
        Optional<Count> now = before == null ? Optional.empty() : count();
        if (now.isPresent() && now.get().replies() >= before) {
            long made = now.get().replies() - before;
            run.mdsRequests(made);
            LOG.info("CephFS: {} MDS request(s) during the syncs (ceph-fuse client {} of {})", made,
                    now.get().socket().getFileName(), settings.get(Keys.CEPH_MOUNT_POINT).orElseThrow());
        }
    }

    /** What the client of the mount point has counted so far, and where it was read. */
    record Count(Path socket, long replies) {
    }

    /** The count of the ceph-fuse client serving the mount point; empty when none answers. */
    Optional<Count> count() {
        Optional<Path> mount = settings.get(Keys.CEPH_MOUNT_POINT);
        Optional<Path> dir = settings.get(Keys.CEPH_ADMIN_SOCKET_DIR);
        if (mount.isEmpty() || dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> sockets = Files.newDirectoryStream(dir.get(), "*.asok")) {
            for (Path socket : sockets) {
                try {
                    JsonNode status = AdminSocket.ask(socket, "status");
                    String at = status.path("metadata").path("mount_point").asText(null);
                    if (at != null && Path.of(at).normalize().equals(mount.get().normalize())) {
                        JsonNode reply = AdminSocket.ask(socket, "perf dump").path("client").path("reply");
                        if (reply.has("avgcount")) {
                            return Optional.of(new Count(socket, reply.get("avgcount").asLong()));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("{}: not a client of {} that answers: {}", socket, mount.get(), e.toString());
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: {}", dir.get(), e.toString());
        }
        return Optional.empty();
    }
}
