/** In: command-line arguments, environment (LIKENESS_HOME, LIKENESS_DB_*, LIKENESS_MASTER_KEY), photos via a FaceSource. */
/** Out: text or --json on stdout, one-line errors on stderr, exit codes from org.likeness.cli.ExitCodes (errors through org.likeness.cli.Failures). */
/** Never knows about: SQL, ciphers or ONNX; it calls org.likeness.registry and the FaceSource it is given. */
package org.likeness.cli.registry;
