package org.likeness.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.account.Role;
import org.likeness.app.LogVerifyReport;
import org.likeness.registry.LogEntry;

/** The hash-chained log: head, verification, and its entries (paged by sequence number). */
final class LogRoutes implements RouteGroup {
    /** Entries read from the database at a time while filtering an organisation's page. */
    static final int BATCH = 500;
    /** Entries one page of a filtered log reads at most (a bound on one request's work, not on what can be read). */
    static final int MAX_SCANNED = 20_000;

    @Override
    public void register(Routes routes, Services services) {
        routes.get("/log/head", "The hash of the log's last entry").tag("log")
                .roles(Role.HOLDER, Role.AUDITOR, Role.ADMIN).handle(call -> call.json(Map.of("head", call.registry().logHead())));
        routes.get("/log/verify", "Verify the hash chain, the head file and every row against the log").tag("log")
                .roles(Role.HOLDER, Role.AUDITOR, Role.ADMIN)
                .handle(call -> call.json(new LogVerifyReport(call.registry().verify()).json()));
        routes.get("/log", "Log entries in order, after a sequence number: an admin sees all; an auditor only those about its"
                        + " organisation (its accounts' actions, its subjects, collections and accounts)").tag("log").roles(Role.AUDITOR, Role.ADMIN)
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
        if (call.caller().role() == Role.ADMIN) {
            List<LogEntry> page = call.registry().log(after + 1, limit);
            call.page(page, limit, LogEntry::fields, e -> Long.toString(e.seq()));
            return;
        }
        // another organisation's entries are skipped; a page reads at most MAX_SCANNED entries, so that a caller
        // whose organisation has few entries in a long log gets a short (even empty) page with a `next` to go on
        LogScope scope = new LogScope(call.registry(), call.caller().organisation());
        List<LogEntry> page = new ArrayList<>();
        long last = after;
        boolean end = false;
        int scanned = 0;
        while (page.size() < limit && scanned < MAX_SCANNED) {
            List<LogEntry> batch = call.registry().log(last + 1, BATCH);
            for (LogEntry e : batch) {
                last = e.seq();
                scanned++;
                if (scope.shows(e) && page.add(e) && page.size() == limit) {
                    break;
                }
            }
            if (page.size() < limit && batch.size() < BATCH) {
                end = true; // read to the log's end
                break;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.stream().map(LogEntry::fields).toList());
        m.put("next", end ? null : Long.toString(last));
        call.json(m);
    }
}
