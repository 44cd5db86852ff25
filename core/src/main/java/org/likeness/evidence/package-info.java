/**
 * Evidence a regulator can check: a signed statement per traced dataset (Ed25519, the holder's key; canonical JSON as
 * docs/FORMATS.md defines it) and its verification against the signature and the registry's log.
 * In: a {@link org.likeness.trace.TraceResult} and the registry. Out: statement.json and report; verification findings.
 */
package org.likeness.evidence;
