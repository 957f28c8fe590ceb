package org.idream.backup.cephfs;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import org.idream.backup.names.Xattrs;

/**
 * CephFS's recursive statistics of a directory, read with getxattr(2) (one system call, no process):
 * {@code ceph.dir.rctime} (the newest change time anywhere below it), {@code ceph.dir.rfiles},
 * {@code ceph.dir.rbytes}. Values look like {@code 1796169477.735574098} (seconds.nanoseconds; older
 * clients printed {@code 1796169477.09<ns>}, read as a decimal all the same).
 */
public final class CephFs implements RecursiveStats {
    public static final String RCTIME = "ceph.dir.rctime";
    public static final String RFILES = "ceph.dir.rfiles";
    public static final String RBYTES = "ceph.dir.rbytes";
    /** The statistics CephFS keeps, read through its extended attributes. */
    public static final CephFs XATTRS = new CephFs();

    private CephFs() {
    }

    /** True when {@code dir} is on CephFS: its recursive change time can be read. */
    public static boolean isCephFs(Path dir) {
        return XATTRS.available(dir);
    }

    @Override
    public boolean available(Path dir) {
        try {
            rctime(dir);
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Instant rctime(Path dir) throws IOException {
        return instant(value(dir, RCTIME));
    }

    @Override
    public Totals totals(Path dir) throws IOException {
        return new Totals(Long.parseLong(value(dir, RFILES)), Long.parseLong(value(dir, RBYTES)));
    }

    static Instant instant(String value) {
        String v = value.strip();
        int dot = v.indexOf('.');
        if (dot < 0) {
            return Instant.ofEpochSecond(Long.parseLong(v));
        }
        BigDecimal nanos = new BigDecimal("0" + v.substring(dot)).movePointRight(9);
        return Instant.ofEpochSecond(Long.parseLong(v.substring(0, dot)), nanos.longValue());
    }

    /** By the path's bytes: a folder whose name is not UTF-8 has no String JNA could hand the kernel. */
    private static String value(Path dir, String name) throws IOException {
        byte[] raw = Xattrs.value(dir, name);
        if (raw == null) {
            throw new IOException(dir + " has no " + name + " (not on CephFS)");
        }
        String text = new String(raw, StandardCharsets.US_ASCII);
        int nul = text.indexOf('\0');
        return nul >= 0 ? text.substring(0, nul) : text;
    }
}
