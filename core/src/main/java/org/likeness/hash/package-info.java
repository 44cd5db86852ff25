/** In: decoded pixels (an OpenCV {@code Mat}, RGB/grey bytes or float luminance) and 256-bit PDQ hashes to index.
 *  Out: {@link org.likeness.hash.PdqHash} values with quality, dihedral variants, exact Hamming-radius search ids.
 *  Never knows about: datasets, archives, image files or decoding, faces, subjects, consent or scan records. */
package org.likeness.hash;
