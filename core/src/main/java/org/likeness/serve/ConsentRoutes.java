package org.likeness.serve;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.account.Role;
import org.likeness.app.ConsentReceipt;
import org.likeness.app.Propagation;
import org.likeness.app.RegistryJson;
import org.likeness.registry.Consent;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.ConsentStatus;
import org.likeness.registry.InputTime;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;

/** Consents: grant, revoke, list (logged), status at a time, receipt (logged). */
final class ConsentRoutes implements RouteGroup {
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    @Override
    public void register(Routes routes, Services services) {
        routes.post("/subjects/{id}/consents", "Record a consent (JSON: purpose, from, until, legal_basis, evidence_sha256)")
                .tag("consents").roles(Role.HOLDER, Role.SUBJECT).json().status(201).handle(ConsentRoutes::grant);
        routes.get("/subjects/{id}/consents", "The subject's consent records (a logged read)").tag("consents")
                .roles(Role.HOLDER, Role.SUBJECT).paged().handle(ConsentRoutes::list);
        routes.get("/subjects/{id}/status", "Consent for a purpose at a time, and the record that decided it")
                .tag("consents").roles(Role.HOLDER, Role.SUBJECT)
                .requiredQuery("purpose", "training, evaluation, publication or identification")
                .query("at", "YYYY-MM-DD or an ISO-8601 instant; default now").handle(ConsentRoutes::status);
        routes.post("/consents/{cid}/revoke", "Withdraw consent for the record's purpose from now on (every active record"
                + " of that subject and purpose, as `consent revoke` does), with the propagation report")
                .tag("consents").roles(Role.HOLDER, Role.SUBJECT).handle(ConsentRoutes::revoke);
        routes.get("/consents/{cid}/receipt", "The consent receipt (ISO/IEC TS 27560-shaped; a logged read)")
                .tag("consents").roles(Role.HOLDER, Role.SUBJECT).handle(ConsentRoutes::receipt);
    }

    private static void grant(Call call) {
        String id = call.path("id");
        Registry registry = call.registry();
        Tenancy.requireSubject(registry, call.caller(), id);
        Purpose purpose = Purpose.parse(call.requiredText("purpose"));
        String from = call.text("from");
        Instant validFrom = from == null ? Instant.now() : InputTime.parse("from", from);
        Instant validUntil = InputTime.parse("until", call.text("until"));
        String evidence = call.text("evidence_sha256");
        if (evidence != null && !SHA256.matcher(evidence).matches()) {
            throw new Problem(Problem.Kind.INVALID, "evidence_sha256 must be 64 lower-case hex digits");
        }
        Consent c = registry.grant(new ConsentGrant(id, purpose, validFrom, validUntil, call.text("legal_basis"), evidence));
        call.json(RegistryJson.consent(c));
    }

    private static void list(Call call) {
        String id = call.path("id");
        Registry registry = call.registry();
        Tenancy.requireSubject(registry, call.caller(), id);
        int limit = call.limit();
        long after;
        try {
            after = call.after() == null ? 0 : Long.parseLong(call.after());
        } catch (NumberFormatException e) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "after must be a consent id");
        }
        List<Consent> page = registry.consents(id).stream().filter(c -> c.id() > after).limit(limit).toList();
        call.recordRead("consents", id, "consent-management");
        call.page(page, limit, RegistryJson::consent, c -> Long.toString(c.id()));
    }

    private static void status(Call call) {
        String id = call.path("id");
        Registry registry = call.registry();
        Tenancy.requireSubject(registry, call.caller(), id);
        Purpose purpose = Purpose.parse(call.requiredQuery("purpose"));
        String at = call.query("at");
        Instant when = at == null ? Instant.now() : InputTime.parse("at", at);
        call.json(RegistryJson.status(registry.status(id, purpose, when)));
    }

    private static void revoke(Call call) {
        long cid = call.pathLong("cid");
        Registry registry = call.registry();
        Consent c = Tenancy.requireConsent(registry, call.caller(), cid);
        List<Consent> revoked;
        try {
            revoked = registry.revoke(c.subjectId(), c.purpose());
        } catch (org.likeness.registry.NotFoundException none) {
            // the record exists and the caller may see it: nothing active is left to withdraw
            throw new Problem(Problem.Kind.CONFLICT, "consent " + cid + " is not active (revoked or expired), and no other"
                    + " active consent of its subject for " + c.purpose().word() + " remains");
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("revoked", revoked.stream().map(RegistryJson::consent).toList());
        json.put("impact", Propagation.report(registry, c.subjectId(), "revoke", c.purpose().word())
                .only(Tenancy.ownCollections(registry, call.caller())).json());
        call.json(json);
    }

    private static void receipt(Call call) {
        long cid = call.pathLong("cid");
        Registry registry = call.registry();
        Consent c = Tenancy.requireConsent(registry, call.caller(), cid);
        ConsentStatus s = registry.recordStatus(cid, Instant.now());
        call.recordRead("receipt", c.subjectId(), "consent-management");
        call.json(ConsentReceipt.of(c, s, registry.logHead()));
    }
}
