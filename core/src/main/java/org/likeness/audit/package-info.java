/**
 * In: scan records, the registry's identifications and consent decisions, identity clusters. Out: findings (per face,
 * per identity, per failed file) and the reports written from them (JSON, CSV, HTML).
 * Never knows about ONNX, pixels beyond the report's thumbnails, or how consent is stored.
 */
package org.likeness.audit;
