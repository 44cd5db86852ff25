package org.likeness.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.account.Role;
import org.likeness.app.Propagation;
import org.likeness.app.RegistryJson;
import org.likeness.app.SubjectEnrolment;
import org.likeness.app.SubjectErasure;
import org.likeness.registry.Registry;
import org.likeness.registry.Subject;

/** Subjects: enrol from uploaded photos, list, read (logged), erase, impact. */
final class SubjectRoutes implements RouteGroup {
    @Override
    public void register(Routes routes, Services services) {
        routes.post("/subjects", "Register a subject from photos (multipart: id, name, face, photos)").tag("subjects")
                .roles(Role.HOLDER).multipart().status(201).handle(SubjectRoutes::enrol);
        routes.get("/subjects", "List the organisation's subjects").tag("subjects").roles(Role.HOLDER).paged()
                .handle(SubjectRoutes::list);
        routes.get("/subjects/{id}", "A subject with its enrolments and consents (a logged read)").tag("subjects")
                .roles(Role.HOLDER, Role.SUBJECT).handle(SubjectRoutes::show);
        routes.delete("/subjects/{id}", "Erase a subject (crypto-shredding) and report where their face is still held")
                .tag("subjects").roles(Role.HOLDER, Role.SUBJECT).handle(SubjectRoutes::erase);
        routes.get("/subjects/{id}/impact", "Registered collection images that hold the subject's face (a logged read)")
                .tag("subjects").roles(Role.HOLDER, Role.SUBJECT).handle(SubjectRoutes::impact);
    }

    private static void enrol(Call call) throws Exception {
        List<Call.Upload> photos = new ArrayList<>();
        try {
            photos = call.uploads("photos");
            String id = call.form("id");
            if (id == null) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "form field 'id' is required");
            }
            Integer face = null;
            if (call.form("face") != null) {
                try {
                    face = Integer.valueOf(call.form("face"));
                } catch (NumberFormatException e) {
                    throw new Problem(Problem.Kind.BAD_REQUEST, "form field 'face' must be a whole number (1-based)");
                }
            }
            if (photos.isEmpty()) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "at least one file in form field 'photos' is required");
            }
            Registry registry = call.registry();
            String name = call.form("name");
            Integer chosen = face;
            List<SubjectEnrolment.Photo> list = photos.stream().map(u -> new SubjectEnrolment.Photo(u.file(), u.name())).toList();
            Subject s = call.services().faces().with(source -> SubjectEnrolment.enrol(registry, source,
                    call.caller().organisation(), id, name, chosen, list));
            Map<String, Object> json = RegistryJson.subject(s);
            json.put("organisation", call.caller().organisation());
            json.put("enrolments", registry.enrolments(s.id()).stream().map(RegistryJson::enrolment).toList());
            call.json(json);
        } finally {
            Uploads.delete(photos.stream().map(Call.Upload::file).toList());
        }
    }

    private static void list(Call call) {
        int limit = call.limit();
        List<Subject> page = call.registry().subjects(call.caller().organisation(), call.after(), limit);
        call.recordRead("subject_list", null, "subject-management");
        call.page(page, limit, RegistryJson::subject, Subject::id);
    }

    private static void show(Call call) {
        String id = call.path("id");
        Registry registry = call.registry();
        Tenancy.requireSubject(registry, call.caller(), id);
        Subject s = registry.subject(id);
        Map<String, Object> json = new LinkedHashMap<>(RegistryJson.subject(s));
        json.put("organisation", call.caller().organisation());
        json.put("enrolments", registry.enrolments(id).stream().map(RegistryJson::enrolment).toList());
        json.put("consents", registry.consents(id).stream().map(RegistryJson::consent).toList());
        call.recordRead("subject", id, "subject-management");
        call.json(json);
    }

    private static void erase(Call call) {
        String id = call.path("id");
        Registry registry = call.registry();
        Tenancy.requireSubject(registry, call.caller(), id);
        SubjectErasure e = SubjectErasure.run(registry, id);
        call.json(new SubjectErasure(e.erasure(), e.impact().only(Tenancy.ownCollections(registry, call.caller()))).json());
    }

    private static void impact(Call call) {
        String id = call.path("id");
        Registry registry = call.registry();
        Tenancy.requireSubject(registry, call.caller(), id);
        call.recordRead("impact", id, "subject-management");
        call.json(Propagation.report(registry, id, "query", null).only(Tenancy.ownCollections(registry, call.caller())).json());
    }
}
