package org.likeness.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.account.Accounts;
import org.likeness.account.Principal;
import org.likeness.account.Role;
import org.likeness.registry.AccountStore;
import org.likeness.registry.NotFoundException;

/** Administration: organisations, accounts, API keys, allowed server paths. */
final class AccountRoutes implements RouteGroup {
    private static final Role[] EVERY_ROLE = Role.values();

    @Override
    public void register(Routes routes, Services services) {
        routes.post("/organisations", "Add an organisation (JSON: id, name)").tag("admin").roles(Role.ADMIN).json().status(201)
                .handle(AccountRoutes::addOrganisation);
        routes.get("/organisations", "Organisations").tag("admin").roles(Role.ADMIN).paged().handle(call -> {
            int limit = call.limit();
            call.page(call.services().registry().accounts().organisations(call.after(), limit), limit,
                    AccountRoutes::organisation, AccountStore.Organisation::id);
        });
        routes.post("/accounts", "Add an account (JSON: name, password, role, organisation, subject)").tag("admin")
                .roles(Role.ADMIN).json().status(201).handle(AccountRoutes::addAccount);
        routes.get("/accounts", "Accounts").tag("admin").roles(Role.ADMIN).paged().query("organisation", "Only this organisation's")
                .handle(call -> {
                    int limit = call.limit();
                    call.page(call.services().accounts().accounts(call.query("organisation"), call.after(), limit), limit,
                            AccountRoutes::account, AccountStore.Account::id);
                });
        routes.post("/keys", "Issue an API key (JSON: account (admin only; default: yourself), label); the key is shown once")
                .tag("keys").roles(Role.ADMIN, EVERY_ROLE).json().status(201).handle(AccountRoutes::issueKey);
        routes.get("/keys", "API keys (an admin sees all, others their own)").tag("keys").roles(Role.ADMIN, EVERY_ROLE).paged()
                .handle(call -> {
                    int limit = call.limit();
                    String account = call.caller().role() == Role.ADMIN ? null : call.caller().accountId();
                    call.page(call.services().accounts().keys(account, call.after(), limit), limit, AccountRoutes::key,
                            AccountStore.ApiKey::id);
                });
        routes.delete("/keys/{id}", "Revoke an API key (refused from the next request on)").tag("keys")
                .roles(Role.ADMIN, EVERY_ROLE).handle(AccountRoutes::revokeKey);
        routes.get("/allowed-paths", "Server folders an organisation may register or audit by path").tag("admin")
                .roles(Role.ADMIN, Role.HOLDER).paged().handle(call -> {
                    String org = call.caller().role() == Role.ADMIN ? null : call.caller().organisation();
                    List<AccountStore.AllowedPath> all = call.services().allowedPaths().list(org);
                    int limit = call.limit();
                    long after = call.after() == null ? 0 : parseId(call.after());
                    call.page(all.stream().filter(p -> p.id() > after).limit(limit).toList(), limit, AccountRoutes::path,
                            p -> Long.toString(p.id()));
                });
        routes.post("/allowed-paths", "Allow a server folder to an organisation (JSON: organisation, path)").tag("admin")
                .roles(Role.ADMIN).json().status(201).handle(call -> call.json(path(call.services().allowedPaths().allow(
                        call.caller().actor(), call.requiredText("organisation"), call.requiredText("path")))));
        routes.delete("/allowed-paths/{id}", "Remove an allowed server folder").tag("admin").roles(Role.ADMIN).handle(call -> {
            call.services().allowedPaths().remove(call.caller().actor(), call.pathLong("id"));
            call.json(Map.of("removed", call.pathLong("id")));
        });
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "after must be a number");
        }
    }

    private static void addOrganisation(Call call) {
        AccountStore.Organisation o = call.services().registry().as(call.caller().actor()).accounts()
                .addOrganisation(call.requiredText("id"), call.requiredText("name"));
        call.json(organisation(o));
    }

    static Map<String, Object> organisation(AccountStore.Organisation o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("name", o.name());
        m.put("created_at", o.createdAt().toString());
        return m;
    }

    private static void addAccount(Call call) {
        String password = call.text("password");
        String org = call.text("organisation");
        AccountStore.Account a = call.services().accounts().create(call.caller().actor(), call.requiredText("name"),
                password == null ? null : password.toCharArray(), Role.parse(call.requiredText("role")),
                org == null ? call.caller().organisation() : org, call.text("subject"));
        call.json(account(a));
    }

    private static void issueKey(Call call) {
        Principal caller = call.caller();
        String account = call.text("account");
        if (account == null) {
            account = caller.accountId();
        } else if (caller.role() != Role.ADMIN && !account.equals(caller.accountId())) {
            throw new NotFoundException("account " + account + " does not exist");
        }
        Accounts.IssuedKey k = call.services().accounts().issueKey(caller.actor(), account, call.text("label"));
        Map<String, Object> json = key(k.key());
        json.put("secret", k.secret());
        json.put("note", "the secret is shown once: store it now; send it as 'Authorization: Bearer SECRET'");
        call.json(json);
    }

    private static void revokeKey(Call call) {
        String id = call.path("id");
        AccountStore.ApiKey k = call.services().accounts().findKey(id);
        if (k == null || call.caller().role() != Role.ADMIN && !k.accountId().equals(call.caller().accountId())) {
            throw new NotFoundException("API key " + id + " does not exist");
        }
        call.json(key(call.services().accounts().revokeKey(call.caller().actor(), id)));
    }

    static Map<String, Object> account(AccountStore.Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        m.put("organisation", a.organisation());
        m.put("role", a.role());
        m.put("subject", a.subjectId());
        m.put("password", a.passwordHash() != null);
        m.put("locked_until", a.lockedUntil() == null ? null : a.lockedUntil().toString());
        m.put("created_at", a.createdAt().toString());
        return m;
    }

    static Map<String, Object> key(AccountStore.ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("account", k.accountId());
        m.put("role", k.role());
        m.put("label", k.label());
        m.put("created_at", k.createdAt().toString());
        m.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        return m;
    }

    static Map<String, Object> path(AccountStore.AllowedPath p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("organisation", p.organisation());
        m.put("path", p.path());
        m.put("created_at", p.createdAt().toString());
        return m;
    }
}
