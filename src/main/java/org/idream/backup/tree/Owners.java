package org.idream.backup.tree;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The names of owners and groups, for the manifests: looked up once per id (getpwuid(3), getgrgid(3):
 * the system's users, LDAP's included); null where an id has no name on this host.
 */
public final class Owners {
    private interface C extends Library {
        Pointer getpwuid(int uid);

        Pointer getgrgid(int gid);
    }

    private static final C LIBC = load();
    private final Map<Integer, String> users = new ConcurrentHashMap<>();
    private final Map<Integer, String> groups = new ConcurrentHashMap<>();

    private static C load() {
        try {
            return Native.load("c", C.class);
        } catch (LinkageError e) {
            return null;
        }
    }

    /** getpwuid(3) and getgrgid(3) return a buffer of libc's own: one lookup at a time. */
    private static final Object LOOKUP = new Object();

    public String user(int uid) {
        return users.computeIfAbsent(uid, id -> {
            synchronized (LOOKUP) {
                return name(LIBC == null ? null : LIBC.getpwuid(id));
            }
        }).transform(Owners::orNull);
    }

    public String group(int gid) {
        return groups.computeIfAbsent(gid, id -> {
            synchronized (LOOKUP) {
                return name(LIBC == null ? null : LIBC.getgrgid(id));
            }
        }).transform(Owners::orNull);
    }

    /** The first field of struct passwd and struct group is the name. */
    private static String name(Pointer entry) {
        return entry == null ? "" : entry.getPointer(0).getString(0);
    }

    private static String orNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
