package org.likeness.lab;

import org.likeness.cli.UserException;
import org.likeness.eval.PersonSplit;

/** The {@code --split} option's value, checked: a wrong one is the user's error, named. */
final class SplitOption {
    private SplitOption() {
    }

    static PersonSplit parse(String s) {
        try {
            return PersonSplit.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UserException("--split must be tuning, evaluation or all, not " + s);
        }
    }
}
