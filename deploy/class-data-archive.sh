# class-data-archive.sh: sourced by bin/backup and by the Debian package's launcher (installed in
# /usr/share/ceph-backup), never run alone.
#
# archiving_java ARCHIVE JAVA-ARGS...: runs the JVM that writes the class-data archive (AppCDS; its
# JAVA-ARGS hold -XX:ArchiveClassesAtExit=ARCHIVE.PID, this shell's PID) and exits with its code. The
# JVM is not exec'd, so that the archive it writes at exit under a name of its own is moved into place
# once the JVM has ended, and only when it is there: a JVM that maps a half-written archive dies of
# SIGBUS (JDK 17, -Xshare:auto or not), so a command started meanwhile must never see it. A TERM, INT or
# HUP this shell gets is passed on to the JVM (a background job ignores INT).
archiving_java() {
    local jsa="$1" pid code=0
    shift
    java "$@" &
    pid=$!
    # shellcheck disable=SC2064
    trap "kill -TERM $pid 2>/dev/null" TERM INT HUP
    wait "$pid" || code=$?
    while kill -0 "$pid" 2>/dev/null; do      # the wait was cut short by a signal: the JVM is still ending
        code=0
        wait "$pid" || code=$?
    done
    if [ -s "$jsa.$$" ]; then
        mv -f "$jsa.$$" "$jsa"
    else
        rm -f "$jsa.$$"
    fi
    exit "$code"
}
