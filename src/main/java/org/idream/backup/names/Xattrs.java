package org.idream.backup.names;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The extended attributes a manifest keeps of an entry, and gives back at a restore: its POSIX ACLs
 * ({@value #ACL_ACCESS}, and {@value #ACL_DEFAULT} of a folder: the kernel's own binary form, numeric ids
 * as the owners are kept) and its {@code user.*} attributes, never following a link; and of a folder on
 * CephFS its quotas and layout ({@code ceph.quota.*}, {@code ceph.dir.layout}). Their text form in a
 * manifest: {@code name=base64;name=base64}, names sorted (a name's {@code % ; =} percent-encoded).
 */
public final class Xattrs {
    public static final String ACL_ACCESS = "system.posix_acl_access";
    public static final String ACL_DEFAULT = "system.posix_acl_default";
    private static final String USER = "user.";
    /** CephFS's settings of a folder (virtual attributes: read by name, never listed). */
    public static final List<String> CEPH_DIR = List.of("ceph.quota.max_bytes", "ceph.quota.max_files",
            "ceph.dir.layout");
    /** Both quotas of a folder in one value ({@code max_bytes=N max_files=M}): one request to the MDS, not two. */
    private static final String QUOTA = "ceph.quota";
    private static final String LAYOUT = "ceph.dir.layout";
    private static final String CEPH = "ceph.";

    private Xattrs() {
    }

    /** Whether a manifest keeps this attribute. */
    public static boolean kept(String name) {
        return name.equals(ACL_ACCESS) || name.equals(ACL_DEFAULT) || name.startsWith(USER);
    }

    /** One of CephFS's settings of a folder (a restore sets them back only when asked to). */
    public static boolean ceph(String name) {
        return name.startsWith(CEPH);
    }

    /**
     * The kept attributes of a path: name to value; empty when it has none (or its file system keeps none).
     * A folder on CephFS also has its quotas and its layout where they are set on it.
     */
    public static SortedMap<String, byte[]> read(Path p, boolean directory) throws IOException {
        return read(Names.absoluteBytes(p), directory);
    }

    /**
     * {@link #read(Path, boolean)} by a path's bytes (which may be a short way to it, such as
     * {@code /proc/self/fd/N/NAME}). A folder's two quotas are read in one call, {@code ceph.quota}
     * ({@code max_bytes=N max_files=M}, where a quota is set on the folder itself): each read of a CephFS setting
     * is a request to the MDS.
     */
    public static SortedMap<String, byte[]> read(byte[] path, boolean directory) throws IOException {
        SortedMap<String, byte[]> out = null;
        if (directory) {
            byte[] quota = Posix.getxattr(path, QUOTA);
            if (quota != null) {
                for (String field : new String(quota, StandardCharsets.US_ASCII).strip().split(" +")) {
                    int eq = field.indexOf('=');
                    String name = eq < 0 ? "" : QUOTA + "." + field.substring(0, eq);
                    String value = eq < 0 ? "" : field.substring(eq + 1);
                    if (CEPH_DIR.contains(name) && !value.isEmpty() && !value.equals("0")) {
                        if (out == null) {
                            out = new TreeMap<>();
                        }
                        out.put(name, value.getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            byte[] layout = Posix.getxattr(path, LAYOUT);
            if (layout != null && layout.length > 0) {
                if (out == null) {
                    out = new TreeMap<>();
                }
                out.put(LAYOUT, layout);
            }
        }
        for (String name : Posix.listxattr(path)) {
            if (kept(name)) {
                byte[] value = Posix.getxattr(path, name);
                if (value != null) {
                    if (out == null) {
                        out = new TreeMap<>();
                    }
                    out.put(name, value);
                }
            }
        }
        return out == null ? Collections.emptySortedMap() : out;
    }

    /**
     * One attribute of a path, following a link as stat(2) does (a source given as a link), by the path's bytes;
     * null when it has none.
     */
    public static byte[] value(Path p, String name) throws IOException {
        return Posix.getxattr(Names.absoluteBytes(p), name, true);
    }

    /** Sets one attribute of a path (not following a link). */
    public static void write(Path p, String name, byte[] value) throws IOException {
        Posix.setxattr(Names.absoluteBytes(p), name, value);
    }

    /** The text form of attributes; "" for none. */
    public static String encode(SortedMap<String, byte[]> xattrs) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, byte[]> e : xattrs.entrySet()) {
            if (out.length() > 0) {
                out.append(';');
            }
            out.append(e.getKey().replace("%", "%25").replace(";", "%3B").replace("=", "%3D")).append('=')
                    .append(Base64.getEncoder().encodeToString(e.getValue()));
        }
        return out.toString();
    }

    /** Attributes read back from their text form. */
    public static SortedMap<String, byte[]> decode(String text) {
        SortedMap<String, byte[]> out = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String item : text.split(";")) {
            int eq = item.indexOf('=');
            String name = item.substring(0, eq).replace("%3D", "=").replace("%3B", ";").replace("%25", "%");
            out.put(name, Base64.getDecoder().decode(item.substring(eq + 1)));
        }
        return out;
    }

    /** A folder's CephFS settings from the text form, readable ({@code quota.max_bytes=1000 dir.layout=...}); "" for none. */
    public static String cephSettings(String text) {
        StringBuilder out = new StringBuilder();
        decode(text).forEach((name, value) -> {
            if (ceph(name)) {
                out.append(out.length() == 0 ? "" : " ").append(name.substring(CEPH.length())).append('=')
                        .append(new String(value, StandardCharsets.UTF_8).strip());
            }
        });
        return out.toString();
    }
}
