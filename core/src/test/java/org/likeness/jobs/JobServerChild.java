package org.likeness.jobs;

import java.nio.file.Path;
import java.util.Map;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

/**
 * A server process for {@link JobEngineTest}: starts an audit job and a trace job that never finish, prints their ids
 * and "running" once both run, then waits to be killed.
 */
public final class JobServerChild {
    private JobServerChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        Registry r = Registry.open(RegistryLocation.resolve(null, env), MasterKey.resolve(null, env), "child");
        FakeRunners runners = new FakeRunners(1);
        JobEngine engine = new JobEngine(r.jobs(), Path.of(args[0]), runners, new JobEngine.Config(2, 1));
        String audit = engine.submit(JobKind.AUDIT, Map.of("dataset", "x"), null, null).id();
        String trace = engine.submit(JobKind.TRACE, Map.of("suspect", "y"), null, null).id();
        System.out.println(audit);
        System.out.println(trace);
        while (engine.get(audit).state() != JobState.RUNNING || engine.get(trace).state() != JobState.RUNNING) {
            Thread.sleep(10);
        }
        System.out.println("running");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
