package org.likeness.serve;

import java.util.List;
import java.util.Map;
import org.likeness.account.Role;
import org.likeness.app.LogVerifyReport;
import org.likeness.registry.LogEntry;

/** The hash-chained log: head, verification, and its entries (paged by sequence number). */
final class LogRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, Services services) {
        routes.get("/log/head", "The hash of the log's last entry").tag("log")
                .roles(Role.HOLDER, Role.AUDITOR, Role.ADMIN).handle(call -> call.json(Map.of("head", call.registry().logHead())));
        routes.get("/log/verify", "Verify the hash chain, the head file and every row against the log").tag("log")
                .roles(Role.HOLDER, Role.AUDITOR, Role.ADMIN)
                .handle(call -> call.json(new LogVerifyReport(call.registry().verify()).json()));
        routes.get("/log", "Log entries in order, after a sequence number").tag("log").roles(Role.AUDITOR, Role.ADMIN)
                .paged().handle(LogRoutes::entries);
    }

    private static void entries(Call call) {
        int limit = call.limit();
        long after;
        try {
            after = call.after() == null ? 0 : Long.parseLong(call.after());
        } catch (NumberFormatException e) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "after must be a log sequence number");
        }
        if (after < 0) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "after must not be negative");
        }
        List<LogEntry> page = call.registry().log(after + 1, limit);
        call.page(page, limit, LogEntry::fields, e -> Long.toString(e.seq()));
    }
}
