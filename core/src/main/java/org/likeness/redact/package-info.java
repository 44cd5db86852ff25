/**
 * In: a dataset and a redaction plan (from findings.json or a registered collection). Out: a cleaned copy with the same
 * layout and names plus manifest.json. Never knows about the registry's keys or templates, and never writes to the input.
 */
package org.likeness.redact;
