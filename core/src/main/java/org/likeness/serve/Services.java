package org.likeness.serve;

import org.likeness.account.Accounts;
import org.likeness.account.AllowedPaths;
import org.likeness.registry.Registry;

/**
 * What route handlers reach: the registry (act as the caller with {@link Call#registry()}), accounts, allowed server
 * paths, the upload spool and the face source for enrolment.
 */
public record Services(Registry registry, Accounts accounts, AllowedPaths allowedPaths, Uploads uploads, Faces faces,
                       ServerConfig config) {
}
