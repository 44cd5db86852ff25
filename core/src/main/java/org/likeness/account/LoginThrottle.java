package org.likeness.account;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sign-in attempts per client address in a sliding window, in memory: a guesser spread over many account names is
 * slowed here, one aimed at a single account is stopped by its lockout ({@link Accounts}).
 */
final class LoginThrottle {
    /** OWASP Authentication Cheat Sheet, "Login Throttling": bound attempts per source; 20 a minute hurts no person. */
    static final int MAX_ATTEMPTS = 20;
    static final long WINDOW_MS = 60_000;
    /** Addresses remembered at most (the oldest are forgotten first): bounds memory under a spoofed flood. */
    private static final int MAX_ADDRESSES = 10_000;

    private final Map<String, Deque<Long>> attempts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    synchronized void attempt(String address, long nowMs) {
        Deque<Long> d = attempts.computeIfAbsent(address, a -> new ArrayDeque<>());
        while (!d.isEmpty() && d.peekFirst() <= nowMs - WINDOW_MS) {
            d.pollFirst();
        }
        if (d.size() >= MAX_ATTEMPTS) {
            long retry = Math.max(1, (d.peekFirst() + WINDOW_MS - nowMs + 999) / 1000);
            throw new ThrottledException("too many sign-in attempts from this address: at most " + MAX_ATTEMPTS
                    + " a minute; retry in " + retry + " s", retry);
        }
        d.addLast(nowMs);
    }
}
