/**
 * In: an original photo's pixels, a secret {@link org.likeness.fingerprint.FingerprintKey}, a recipient id and an image id;
 * later a suspect copy of the photo. Out: the marked pixels of a recipient's copy, and a {@link org.likeness.fingerprint.Detection}
 * naming the recipient only when the evidence clears a false-accusation probability of 1e-6. Never knows about the registry,
 * collections, files or faces: the caller stores keys and decides which images and recipients to test.
 */
package org.likeness.fingerprint;
