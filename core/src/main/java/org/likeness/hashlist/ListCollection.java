package org.likeness.hashlist;

/** A collection a list covers: its label, its owner and whom a marketplace contacts about a match. */
public record ListCollection(String name, String owner, String contact) {
}
