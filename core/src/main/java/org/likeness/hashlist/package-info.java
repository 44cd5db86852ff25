/**
 * Hash lists that a data holder gives to marketplaces (docs/HASHLISTS.md): the PDQ hashes of every registered image
 * of chosen collections and, optionally, keyed face sketches (never a face template), with per-collection labels and
 * the owner's contact; versioned, expiring, signed with the holder's Ed25519 key; deltas carry additions and removals.
 * In: the registry's collections (holder side), list files and trusted public keys (marketplace side). Out: signed list
 * files; the marketplace's store of verified lists. Must never know: pixels, face models, subjects' names.
 */
package org.likeness.hashlist;
