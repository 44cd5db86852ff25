/**
 * In: the bytes of one file and its name. Out: an oriented 8-bit BGR image, or a {@link org.likeness.image.DecodeException} naming the file and the reason.
 * Never knows about faces, models or datasets: it decodes one picture, refusing what is unsafe to decode.
 */
package org.likeness.image;
