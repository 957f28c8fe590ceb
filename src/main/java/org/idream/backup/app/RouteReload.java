package org.idream.backup.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.idream.backup.outcome.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of {@code routes/*.yaml} ({@code backup.routes-reload=true}): Camel's file watcher,
 * with two guards. A changed file is first parsed in a scratch context; one that does not parse is
 * rejected with one log line and the running routes stay. One that parses replaces only its own
 * routes; if they then do not all start, the last version that did is put back.
 */
final class RouteReload extends RouteWatcherReloadStrategy {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Map<String, String> lastGood = new ConcurrentHashMap<>();

    RouteReload(Path folder) {
        super(folder.toString(), false);
        setPattern("*.yaml");
        setRemoveAllRoutes(false);
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                lastGood.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.warn("routes: cannot read {}: {}", folder, e.toString());
        }
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        for (Resource r : resources) {
            if (r == null) {
                continue;
            }
            String name = Path.of(r.getLocation().replaceFirst("^file:", "")).getFileName().toString();
            Set<String> ids;
            try {
                ids = routeIds(r);
            } catch (Exception e) {
                LOG.error("routes: {} rejected, the running routes stay: {}", name, rootMessage(e));
                continue;
            }
            try {
                super.onRouteReload(List.of(r), false);
            } catch (RuntimeException e) {
                LOG.debug("routes: reloading {}: {}", name, e.toString());
            }
            CamelContext camel = getCamelContext();
            Set<String> notStarted = ids.stream().filter(id -> camel.getRouteController().getRouteStatus(id) == null
                    || !camel.getRouteController().getRouteStatus(id).isStarted()).collect(Collectors.toSet());
            if (notStarted.isEmpty()) {
                LOG.info("routes: {} reloaded ({})", name, String.join(", ", ids));
                try {
                    lastGood.put(name, new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    LOG.warn("routes: {}: {}", name, e.toString());
                }
            } else {
                LOG.error("routes: {} rejected: its routes {} did not start; the previous version is put back",
                        name, notStarted);
                restore(name, r.getLocation(), notStarted);
            }
        }
    }

    /** Parses a routes file in a scratch context (never started): the ids of its routes. */
    private static Set<String> routeIds(Resource resource) throws Exception {
        try (DefaultCamelContext scratch = new DefaultCamelContext()) {
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(scratch).findRoutesBuilders(resource)) {
                builder.addRoutesToCamelContext(scratch);
            }
            return ((ModelCamelContext) scratch).getRouteDefinitions().stream().map(RouteDefinition::getRouteId)
                    .collect(Collectors.toSet());
        }
    }

    /** Removes the routes that did not start, then loads the last version of the file that worked. */
    private void restore(String name, String location, Set<String> failed) {
        String previous = lastGood.get(name);
        CamelContext camel = getCamelContext();
        try {
            for (String id : failed) {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id);
                    camel.removeRoute(id);
                }
            }
            if (previous != null) {
                PluginHelper.getRoutesLoader(camel).updateRoutes(Set.of(ResourceHelper.fromString(location, previous)));
            }
        } catch (Exception e) {
            LOG.error("routes: putting back the previous {} failed: {}", name, rootMessage(e));
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = Failures.root(t);
        String m = root.getMessage() == null ? root.toString() : root.getMessage();
        return m.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining(" "));
    }
}
