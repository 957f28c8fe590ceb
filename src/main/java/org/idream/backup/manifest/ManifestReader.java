package org.idream.backup.manifest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import org.idream.backup.rclone.RcloneListing;

/** Reads a manifest: its header, and its entries in the order they were written. */
public final class ManifestReader {
    private ManifestReader() {
    }

    public static Manifest.Header header(Path manifest) throws IOException {
        try (BufferedReader r = reader(manifest)) {
            Manifest.Header h = Manifest.header(r.readLine());
            if (h == null) {
                throw new IOException(manifest + " has no header");
            }
            return h;
        }
    }

    /** Every entry, in the order written, to {@code each}. */
    public static void read(Path manifest, Consumer<ManifestEntry> each) throws IOException {
        try (BufferedReader r = reader(manifest)) {
            Manifest.Header h = Manifest.header(r.readLine());
            if (h == null) {
                throw new IOException(manifest + " has no header");
            }
            RcloneListing.parseCsv(r, f -> each.accept(Manifest.entry(f, h.version())));
        }
    }

    public static List<ManifestEntry> entries(Path manifest) throws IOException {
        List<ManifestEntry> all = new ArrayList<>();
        read(manifest, all::add);
        return all;
    }

    private static BufferedReader reader(Path manifest) throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(manifest,
                LinkOption.NOFOLLOW_LINKS)), RcloneListing.BYTES));
    }
}
