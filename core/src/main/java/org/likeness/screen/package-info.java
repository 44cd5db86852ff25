/**
 * A marketplace's screening of a listing (docs/HASHLISTS.md, "Screening"): is it a face dataset (faces per image,
 * distinct identities, near-duplicates), which imported hash lists does it match (PDQ, also rotated or mirrored; faces
 * through the lists' keyed sketches), and the decision of the marketplace's policy. In: a listing (folder, archive or
 * scan) and the held lists. Out: a {@link org.likeness.screen.ScreenResult}. Must never know: the registry, subjects or
 * consent (a marketplace has none; it holds only lists).
 */
package org.likeness.screen;
