package org.likeness.serve;

import java.util.List;
import org.likeness.account.Role;
import org.likeness.app.RegistryJson;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Registry;

/** Registered collections of the caller's organisation (registering and releasing are job routes). */
final class CollectionRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, Services services) {
        routes.get("/collections", "The organisation's registered collections").tag("collections")
                .roles(Role.HOLDER, Role.AUDITOR).paged().handle(CollectionRoutes::list);
        routes.get("/collections/{name}", "A registered collection").tag("collections")
                .roles(Role.HOLDER, Role.AUDITOR).handle(CollectionRoutes::show);
    }

    private static void list(Call call) {
        int limit = call.limit();
        List<CollectionInfo> page = call.registry().collections(call.caller().organisation(), call.after(), limit);
        call.page(page, limit, RegistryJson::collection, CollectionInfo::name);
    }

    private static void show(Call call) {
        String name = call.path("name");
        Registry registry = call.registry();
        Tenancy.requireCollection(registry, call.caller(), name);
        call.json(RegistryJson.collection(registry.collection(name)));
    }
}
