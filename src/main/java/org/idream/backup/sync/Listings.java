package org.idream.backup.sync;

import java.nio.file.Path;
import java.util.List;

import org.idream.backup.model.TreeSummary;

/**
 * What a strategy's validation listed: the two sides to compare (for a guided sync: the parts it touched),
 * the whole trees (for the report), what a guided sync's whole-tree checks found wrong ({@code problems}: a
 * failure; {@code drift}: CephFS's counts differ from the mirror's, the next run syncs in full), and the
 * mirror's manifest of this run, recorded into {@code manifestWork} and moved to {@code manifest} by the
 * route. {@link #SKIPPED} in a dry run.
 */
public record Listings(TreeSummary source, TreeSummary mirror, Path manifest, Path manifestWork,
        TreeSummary sourceWhole, TreeSummary mirrorWhole, List<String> problems, String drift) {
    public static final Listings SKIPPED = new Listings(null, null, null, null, null, null, List.of(), null);

    public Listings {
        problems = List.copyOf(problems);
    }

    /** True when the mirror's manifest was recorded (and is to be moved into place). */
    public boolean recorded() {
        return manifest != null;
    }
}
