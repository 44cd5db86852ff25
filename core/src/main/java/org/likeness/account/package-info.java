/**
 * Who may use the HTTP service and what they may do: accounts and their roles, organisations (tenants), password
 * hashes (Argon2id), sign-in with lockout, sessions with CSRF tokens, API keys, and the server folders an organisation
 * may name. In: names, passwords, tokens, paths. Out: an authenticated {@link org.likeness.account.Principal} or a
 * typed refusal. Rows live in the registry ({@code registry.AccountStore}); this package decides.
 * It must never know HTTP, Javalin, the command line or picocli (ArchitectureTest).
 */
package org.likeness.account;
