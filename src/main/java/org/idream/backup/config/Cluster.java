package org.idream.backup.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The value of {@code backup.cluster}: no cluster (one host, as before), a lock directory shared by the
 * hosts (on the CephFS itself), or a ZooKeeper ensemble.
 *
 * @param engine    none, file or zookeeper
 * @param directory the lock directory (file)
 * @param connect   host:port,... (zookeeper)
 */
public record Cluster(String engine, Path directory, String connect) {
    public static final String NONE = "none";
    public static final String FILE = "file";
    public static final String ZOOKEEPER = "zookeeper";

    public boolean none() {
        return engine.equals(NONE);
    }

    @Override
    public String toString() {
        return switch (engine) {
            case FILE -> FILE + ":" + directory;
            case ZOOKEEPER -> ZOOKEEPER + ":" + connect;
            default -> NONE;
        };
    }

    static Cluster parse(String raw) {
        String s = Types.text(raw);
        if (s.toLowerCase(Locale.ROOT).equals(NONE)) {
            return new Cluster(NONE, null, null);
        }
        int colon = s.indexOf(':');
        String engine = colon < 0 ? s : s.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1).strip();
        switch (engine) {
            case FILE -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("file: needs the lock directory, e.g. file:/ceph/.backup-cluster");
                }
                return new Cluster(FILE, Types.absolutePath(rest), null);
            }
            case ZOOKEEPER -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("zookeeper: needs host:port,..., e.g. zookeeper:zk1:2181,zk2:2181");
                }
                for (String hostPort : List.of(rest.split(","))) {
                    String hp = hostPort.strip();
                    int c = hp.lastIndexOf(':');
                    if (c <= 0 || !hp.substring(c + 1).matches("\\d{1,5}")
                            || Integer.parseInt(hp.substring(c + 1)) == 0 || Integer.parseInt(hp.substring(c + 1)) > 65535) {
                        throw new IllegalArgumentException("'" + hp + "' is not host:port");
                    }
                }
                return new Cluster(ZOOKEEPER, null, rest.replace(" ", ""));
            }
            default -> throw new IllegalArgumentException("must be none, file:<directory> or zookeeper:<host:port,...>");
        }
    }
}
