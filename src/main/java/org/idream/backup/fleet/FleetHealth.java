package org.idream.backup.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This host in its fleet, for the health check: the cluster, this node, whether it is in the cluster (and
 * why not), and the directories whose lease it holds. The one place that words it.
 */
public record FleetHealth(String cluster, String node, boolean member, String problem, List<String> holds) {

    /** The health check's details. */
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cluster", cluster);
        d.put("cluster.node", node);
        d.put("cluster.member", member);
        if (problem != null) {
            d.put("cluster.problem", problem);
        }
        d.put("cluster.holds", holds);
        return d;
    }

    /** Why the health is DOWN when this host is not in the cluster. */
    public String notMember() {
        return "not in the cluster " + cluster + (problem == null ? "" : " (" + problem + ")")
                + ": this host syncs nothing until it is";
    }

    /** What the health message adds for a host in the cluster. */
    public String membership() {
        return "; in the cluster " + cluster + " as " + node + ", holding " + holds;
    }
}
