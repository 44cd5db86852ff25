/**
 * The lab's commands ({@code likeness eval …}, {@code likeness bench …}): measurements of the product on labelled data,
 * adapters over {@code org.likeness.eval} and {@code org.likeness.bench} exactly as {@code cli} is over the product.
 * Built in the {@code lab} Maven module, which depends on the product; the product never depends on it.
 */
package org.likeness.lab;
