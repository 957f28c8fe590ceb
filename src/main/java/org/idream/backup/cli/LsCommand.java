package org.idream.backup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import org.idream.backup.manifest.ManifestEntry;
import org.idream.backup.manifest.ManifestReader;
import org.idream.backup.names.ListedNames;
import org.idream.backup.restore.Archive;
import org.idream.backup.restore.AsOf;
import org.idream.backup.restore.RestorePlanner;
import org.idream.backup.restore.RestoreRefused;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ceph-backup ls [--as-of WHEN] PATH}: a restore point's listing, without restoring it. */
@Command(name = "ls", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        description = "Lists a restore point without restoring it: every entry at or under PATH as the run recorded "
                + "it (mode, owner, size, modification time; a link's target), from its manifest.")
public final class LsCommand extends ConfiguredCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Option(names = "--as-of", paramLabel = "\"YYYY-MM-DD HH:MM[:SS]\"|RUN",
            description = "the restore point: a run's name or any time (default: the last run)")
    private String asOf;

    @Parameters(paramLabel = "PATH", description = "a source or a file or folder of one, as it was on the mount")
    private Path path;

    public LsCommand(Context context) {
        super(context);
    }

    @Override
    public Integer call() throws IOException {
        RestorePlanner planner = new RestorePlanner(settings());
        Path p = path.toAbsolutePath().normalize();
        Archive archive = planner.archive(p);
        List<Archive.RunManifest> runs = archive.manifests();
        Archive.RunManifest run = asOf == null
                ? (runs.isEmpty() ? null : runs.get(runs.size() - 1))
                : archive.manifestAt(AsOf.parse(asOf)).orElse(null);
        if (run == null) {
            throw new RestoreRefused("no run recorded " + archive.source() + (asOf == null ? "" : " at or before "
                    + asOf) + " (`runs` lists the restore points)");
        }
        String under = p.equals(archive.source()) ? "" : ListedNames.of(archive.source().relativize(p).toString());
        long[] n = {0};
        System.out.println("# " + p + " as run " + run.run() + " recorded it");
        ManifestReader.read(run.file(), e -> {
            String fs = e.fileSystemPath();
            if (under.isEmpty() || fs.equals(under) || fs.startsWith(under + "/")) {
                n[0]++;
                System.out.println(line(e));
            }
        });
        if (n[0] == 0) {
            throw new RestoreRefused(p + " is not in run " + run.run() + "'s record of " + archive.source());
        }
        System.out.println(n[0] + " entr" + (n[0] == 1 ? "y" : "ies"));
        return 0;
    }

    static String line(ManifestEntry e) {
        String owner = (e.user() != null ? e.user() : String.valueOf(e.uid())) + ":"
                + (e.group() != null ? e.group() : String.valueOf(e.gid()));
        String when = TIME.format(Instant.ofEpochSecond(0, Long.parseLong(e.modTime())));
        return String.format("%s %-17s %12d %s %s%s", mode(e), owner, e.directory() ? 0 : e.size(), when,
                e.fileSystemPath() + (e.directory() ? "/" : ""), e.link() ? " -> " + e.linkTarget() : "");
    }

    /** As ls -l prints it: the kind, then rwx for owner, group and others, with setuid, setgid and sticky. */
    static String mode(ManifestEntry e) {
        StringBuilder s = new StringBuilder(e.directory() ? "d" : e.link() ? "l" : "-");
        if (e.mode() == null) {
            return s.append("?????????").toString();
        }
        int m = e.mode();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        if ((m & 04000) != 0) {
            s.setCharAt(3, s.charAt(3) == 'x' ? 's' : 'S');
        }
        if ((m & 02000) != 0) {
            s.setCharAt(6, s.charAt(6) == 'x' ? 's' : 'S');
        }
        if ((m & 01000) != 0) {
            s.setCharAt(9, s.charAt(9) == 'x' ? 't' : 'T');
        }
        return s.toString();
    }
}
