/**
 * In: paths of files that will hold personal data. Out: those files and folders created owner-only (0600/0700) and
 * written durably. Never knows what the files hold: it is used by the registry, the scan writer and the reports alike.
 */
package org.likeness.files;
