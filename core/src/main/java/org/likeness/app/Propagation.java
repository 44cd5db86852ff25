package org.likeness.app;

import org.likeness.registry.ImpactedImage;
import org.likeness.registry.Registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a subject's face is held: every registered collection image identified as them. Printed after a revocation or
 * erasure (so the holder knows what to clean: {@code likeness redact --collection NAME}) and by {@code likeness impact};
 * each report is appended to the log as {@code propagation.<cause>}.
 */
public final class Propagation {
    private final List<ImpactedImage> images;
    private final String subject;

    private Propagation(String subject, List<ImpactedImage> images) {
        this.subject = subject;
        this.images = images;
    }

    /**
     * @param cause   revoke, erase or query
     * @param purpose the purpose revoked, or null
     */
    public static Propagation report(Registry registry, String subject, String cause, String purpose) {
        Propagation p = new Propagation(subject, registry.impact(subject));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("subject", subject);
        if (purpose != null) {
            payload.put("purpose", purpose);
        }
        payload.put("collections", p.perCollection());
        payload.put("images", p.images.size());
        registry.record("propagation." + cause, payload);
        return p;
    }

    /**
     * The same report restricted to the collections {@code visible} admits (the service shows a caller only its own
     * organisation's collections; the logged report keeps them all).
     */
    public Propagation only(java.util.function.Predicate<String> visible) {
        return new Propagation(subject, images.stream().filter(i -> visible.test(i.collection())).toList());
    }

    private Map<String, Integer> perCollection() {
        Map<String, Integer> m = new TreeMap<>();
        images.forEach(i -> m.merge(i.collection(), 1, Integer::sum));
        return m;
    }

    public Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("subject", subject);
        o.put("collections", perCollection());
        List<Map<String, Object>> list = new ArrayList<>();
        for (ImpactedImage i : images) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("collection", i.collection());
            m.put("owner", i.owner());
            m.put("path", i.path());
            m.put("sha256", i.sha256());
            m.put("faces", i.faces());
            list.add(m);
        }
        o.put("images", list);
        return o;
    }

    public String text() {
        if (images.isEmpty()) {
            return "no registered collection holds " + subject + "'s face";
        }
        StringBuilder sb = new StringBuilder();
        Map<String, Integer> per = perCollection();
        sb.append(subject).append("'s face is in ").append(images.size()).append(" image(s) of ").append(per.size())
                .append(" registered collection(s):");
        String current = null;
        for (ImpactedImage i : images) {
            if (!i.collection().equals(current)) {
                current = i.collection();
                sb.append("\n  ").append(current).append(" (owner ").append(i.owner()).append(", ").append(per.get(current))
                        .append(" image(s)); clean copy: likeness redact --collection ").append(current).append(" --purpose P -o DIR");
            }
            sb.append("\n    ").append(i.path());
        }
        return sb.toString();
    }
}
