package org.likeness.registry;

import java.time.Instant;

/** A fingerprinted copy of a collection given to a recipient: who, when, how many images, and which key marked it. */
public record Release(String collection, String recipient, String keyId, int images, Instant releasedAt) {
}
