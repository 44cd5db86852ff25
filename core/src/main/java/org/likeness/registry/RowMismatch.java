package org.likeness.registry;

/** One row that disagrees with the log's replay: table, row id, field, the row's value and the logged value. */
public record RowMismatch(String table, String id, String field, String rowValue, String loggedValue) {
    @Override
    public String toString() {
        return table + " " + id + " " + field + ": row " + rowValue + " vs logged " + loggedValue;
    }
}
