/**
 * In: a suspect dataset, the registered collections (PDQ hashes, encrypted face templates) and their releases.
 * Out: for each suspect photo the registered original it copies and the recipient whose fingerprint it carries.
 * Never names a recipient below the fingerprint detector's false-accusation threshold.
 */
package org.likeness.trace;
