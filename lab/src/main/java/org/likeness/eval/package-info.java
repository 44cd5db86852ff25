/**
 * In: labelled data (LFW-format pairs, person/photo folders) and the vectors a scan produced for it. Out: accuracy, TAR@FMR, EER, thresholds.
 * Never knows about consent or the registry, and never tunes anything on the split it reports.
 */
package org.likeness.eval;
