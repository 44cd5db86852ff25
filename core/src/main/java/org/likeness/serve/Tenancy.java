package org.likeness.serve;

import org.likeness.account.Principal;
import org.likeness.account.Role;
import org.likeness.registry.Consent;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.Registry;

/**
 * Which records a caller may know exist: staff see their own organisation's subjects and collections, a subject account
 * only its own subject. Anything else answers exactly as a record that does not exist (404, same message), never 403.
 */
final class Tenancy {
    private Tenancy() {
    }

    static void requireSubject(Registry registry, Principal caller, String subjectId) {
        String org = registry.subjectOrganisation(subjectId);
        boolean visible = org != null && org.equals(caller.organisation())
                && (caller.role() != Role.SUBJECT || subjectId.equals(caller.subjectId()));
        if (!visible) {
            throw new NotFoundException("subject '" + subjectId + "' does not exist");
        }
    }

    static Consent requireConsent(Registry registry, Principal caller, long consentId) {
        try {
            Consent c = registry.consent(consentId);
            requireSubject(registry, caller, c.subjectId());
            return c;
        } catch (NotFoundException e) {
            throw new NotFoundException("consent " + consentId + " does not exist");
        }
    }

    /**
     * Whether a collection named in a report (the propagation of a revocation or erasure, the impact) is the caller's
     * organisation's: another organisation's collection that holds the subject's face is left out of the answer.
     */
    static java.util.function.Predicate<String> ownCollections(Registry registry, Principal caller) {
        java.util.Map<String, Boolean> seen = new java.util.HashMap<>();
        return name -> seen.computeIfAbsent(name, n -> caller.organisation().equals(registry.collectionOrganisation(n)));
    }

    static void requireCollection(Registry registry, Principal caller, String name) {
        String org = registry.collectionOrganisation(name);
        if (org == null || !org.equals(caller.organisation())) {
            throw new NotFoundException("collection '" + name + "' is not registered");
        }
    }
}
