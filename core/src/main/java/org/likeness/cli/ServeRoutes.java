package org.likeness.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.likeness.app.RegistrySession;
import org.likeness.face.FacePipeline;
import org.likeness.jobs.JobEngine;
import org.likeness.model.ModelStore;
import org.likeness.serve.JobRoutes;
import org.likeness.serve.RouteGroup;
import org.likeness.serve.ScreenRoutes;
import org.likeness.web.FacePicker;
import org.likeness.web.WebRoutes;

/**
 * The route groups of other packages that {@code likeness serve} serves besides the service's own (subjects, consents,
 * collections, log, accounts): the web console's, screening's, the job engine's. The one list: the server and the
 * authorisation matrix test both start with it, so that no route escapes the matrix.
 */
public final class ServeRoutes {
    private ServeRoutes() {
    }

    /**
     * Each group is constructed here and gets the service's {@code Services} in {@code register}; its {@code stop}
     * runs on graceful shutdown. The face pipeline opens only when a route needs it.
     *
     * @param session where the jobs open the registry (the same --db and environment as the service)
     * @param home    $LIKENESS_HOME: the jobs' folders are under {@code home/jobs}
     */
    public static List<RouteGroup> groups(RegistrySession session, Path home) {
        return groups(session, home, ScreenRoutes.MAX_SYNC_IMAGES);
    }

    /** With the largest listing screened synchronously (a test lowers it to screen a small listing as a job). */
    public static List<RouteGroup> groups(RegistrySession session, Path home, int maxSyncScreen) {
        Supplier<FacePipeline> pipelines = () -> FacePipeline.open(ModelStore.fromEnvironment(), FacePipeline.Options.defaults(1));
        // audits, traces, collection scans, releases and large screens as persistent jobs (docs/REGISTRY.md, "Jobs")
        JobRoutes jobs = new JobRoutes(session, pipelines, JobEngine.Config.forMachine(), home.resolve("jobs"));
        return List.of(new WebRoutes(FacePicker.defaults()), new ScreenRoutes(pipelines::get, jobs::engine, maxSyncScreen), jobs);
    }
}
