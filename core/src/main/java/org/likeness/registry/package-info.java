/** In: subject ids and names, face embeddings (float vectors + model id), consent grants, a master key. */
/** Out: encrypted enrolments, consent status at a time for a purpose, fail-closed identifications, a hash-chained log. */
/** Never knows about: images, pixels, ONNX or any detector; it never stores a photo, only its sha256. */
package org.likeness.registry;
