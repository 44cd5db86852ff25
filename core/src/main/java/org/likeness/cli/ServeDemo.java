package org.likeness.cli;

import org.likeness.account.Accounts;
import org.likeness.account.Role;
import org.likeness.account.Secrets;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelStore;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Organisations;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.web.Invitations;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code likeness serve --demo}: a fresh registry under {@code $LIKENESS_HOME/serve-demo} with the demo photos'
 * people (as {@code likeness demo}: ana and bea consent to training, cleo consented and revoked), the demo photos
 * registered as the collection {@code demo-photos}, and four accounts with generated passwords printed once: admin,
 * holder (the data holder's staff), auditor and ana's own portal account.
 */
final class ServeDemo {
    static final String COLLECTION = "demo-photos";
    /** Generated passwords: 16 random bytes, URL-safe base64 (128 bits). */
    private static final int PASSWORD_BYTES = 16;

    /** An account made for the demo and its password (shown once). */
    record Login(String name, String role, String password) {
    }

    private ServeDemo() {
    }

    /** The environment the demo server runs with: LIKENESS_HOME pointing at the fresh demo folder. */
    static Map<String, String> environment(Map<String, String> env) {
        Map<String, String> out = new HashMap<>(env);
        out.put("LIKENESS_HOME", RegistryLocation.home(env).resolve("serve-demo").toString());
        out.remove("LIKENESS_DB_URL");
        return Map.copyOf(out);
    }

    /** Builds the demo registry from scratch; returns the accounts to print. */
    static List<Login> prepare(Map<String, String> demoEnv, PrintWriter err) throws IOException {
        ModelStore store = ModelStore.fromEnvironment();
        store.fetch(false, err::println);
        Path home = RegistryLocation.home(demoEnv);
        Path photos = DemoCommand.freshPhotos(store, home);
        RegistryLocation loc = RegistryLocation.resolve(null, demoEnv);
        Path enrolPhoto = photos.resolve(ModelCatalogue.byId(DemoCommand.ENROL_FROM).fileName());
        List<Login> logins = new ArrayList<>();
        try (MasterKey key = MasterKey.create(loc.defaultKeyFile());
             PipelineFaceSource faces = PipelineFaceSource.openDefault()) {
            Registry.init(loc, key, "demo");
            try (Registry r = Registry.open(loc, key, "demo")) {
                DemoCommand.enrolPeople(r, faces, enrolPhoto);
                Accounts accounts = new Accounts(r);
                for (Role role : List.of(Role.ADMIN, Role.HOLDER, Role.AUDITOR)) {
                    String password = Secrets.token(PASSWORD_BYTES);
                    accounts.create("demo", role.word(), password.toCharArray(), role, Organisations.DEFAULT, null);
                    logins.add(new Login(role.word(), role.word(), password));
                }
                String password = Secrets.token(PASSWORD_BYTES);
                String name = Invitations.accountName("ana");
                accounts.create("demo", name, password.toCharArray(), Role.SUBJECT, Organisations.DEFAULT, "ana");
                logins.add(new Login(name, Role.SUBJECT.word(), password));
            }
        }
        CommandLine add = Failures.install(new CommandLine(new CollectionCommand(demoEnv)));
        add.setOut(new PrintWriter(PrintWriter.nullWriter()));
        add.setErr(err);
        int code = add.execute("add", COLLECTION, photos.toString(), "--owner", "demo");
        if (code != ExitCodes.OK && code != ExitCodes.SOME_FAILED) {
            throw new UserException("the demo collection could not be registered (exit " + code + ")");
        }
        return logins;
    }
}
