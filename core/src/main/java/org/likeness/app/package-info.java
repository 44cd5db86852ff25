/**
 * In: narrow interfaces onto the registry and the face pipeline, plus the user's request. Out: typed results and
 * progress callbacks. Never prints, never parses a command line and never knows which adapter (CLI, HTTP, Spark) called it.
 */
package org.likeness.app;
