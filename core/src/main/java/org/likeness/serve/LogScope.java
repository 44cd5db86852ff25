package org.likeness.serve;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.json.Json;
import org.likeness.registry.AccountStore;
import org.likeness.registry.LogEntry;
import org.likeness.registry.Registry;

/**
 * Which organisations a log entry is about, so that {@code GET /log} shows a holder's or auditor's organisation only
 * its own entries (docs/SECURITY.md, "The log"). An entry belongs to an organisation when its actor is one of that
 * organisation's accounts ({@code account:NAME}), or its payload names the organisation ({@code organisation}), one of
 * its subjects ({@code subject}), collections ({@code collection}) or accounts ({@code account}, an account id). An
 * entry that names none of these (the registry's own events, a command-line action on no record, a record since
 * removed) belongs to no organisation: only an admin sees it. Lookups are cached for one request.
 */
final class LogScope {
    private final Registry registry;
    private final String organisation;
    private final Map<String, String> subjects = new HashMap<>();
    private final Map<String, String> collections = new HashMap<>();
    private final Map<String, String> accountsById = new HashMap<>();
    private final Map<String, String> accountsByName = new HashMap<>();

    /** @param organisation the caller's organisation, whose entries are shown */
    LogScope(Registry registry, String organisation) {
        this.registry = registry;
        this.organisation = organisation;
    }

    boolean shows(LogEntry e) {
        if (e.actor().startsWith("account:") && organisation.equals(accountsByName.computeIfAbsent(e.actor().substring("account:".length()),
                n -> orgOf(registry.accounts().accountByName(n))))) {
            return true;
        }
        JsonNode p;
        try {
            p = Json.MAPPER.readTree(e.payload());
        } catch (IOException ex) {
            return false; // an unreadable payload is shown to admins only
        }
        if (p == null || !p.isObject()) {
            return false;
        }
        return organisation.equals(text(p, "organisation"))
                || matches(text(p, "subject"), subjects, registry::subjectOrganisation)
                || matches(text(p, "collection"), collections, registry::collectionOrganisation)
                || matches(text(p, "account"), accountsById, id -> orgOf(registry.accounts().account(id)));
    }

    private boolean matches(String id, Map<String, String> cache, java.util.function.Function<String, String> lookup) {
        if (id == null) {
            return false;
        }
        // HashMap.computeIfAbsent stores no null: an unknown record is looked up again, which is rare
        return organisation.equals(cache.computeIfAbsent(id, lookup));
    }

    private static String orgOf(AccountStore.Account a) {
        return a == null ? null : a.organisation();
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
