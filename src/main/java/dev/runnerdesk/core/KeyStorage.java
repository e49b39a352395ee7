package dev.runnerdesk.core;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Where API keys are kept, and the person's choice of it: the OS keychain (the default), memory for this run only
 * (where no keychain works), or — an explicit opt-in for machines that will never have a keychain — a plain-text file
 * only its owner can read, as {@code git credential-store} keeps one. Calls may block (a keychain probe, a file): run
 * them off the UI thread.
 */
public interface KeyStorage {
    /** Where keys are kept now. */
    enum Where { KEYCHAIN, THIS_RUN, FILE }

    /** What the storage is now, for the UI to say. */
    record State(Where where, String file, Optional<String> problem, Optional<String> fixedBy) {
        public State {
            Objects.requireNonNull(where, "where");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(fixedBy, "fixedBy");
        }

        /**
         * Where keys are, in words to follow "kept in" or "deleted from": "the OS keychain", "the key file …",
         * "memory (this run only)". Every message that says where a key is kept says it with this.
         */
        public String place() {
            return switch (where) {
                case KEYCHAIN -> "the OS keychain";
                case FILE -> "the key file " + file;
                case THIS_RUN -> "memory (this run only)";
            };
        }

        /** Whether keys outlast this run. */
        public boolean persistent() {
            return where != Where.THIS_RUN;
        }
    }

    /**
     * Where keys are, the file the opt-in uses (empty where there is none), why keys are not where they were meant to be
     * (no keychain; a key file others can read), and what fixed the choice beyond the app's reach (an environment
     * variable), if anything.
     */
    State state();

    /**
     * Keeps keys in the file from now on ({@code true}) or no longer ({@code false}: back to the keychain, else this
     * run only; the file is deleted). The keys named are moved along. Throws {@link RunnerException} when the choice
     * is fixed or the file cannot be made private.
     */
    State useFile(boolean file, Collection<String> names);

    /** The storage of a plain secret store, with no file to opt into (tests, tools). */
    static KeyStorage of(SecretStore secrets) {
        return new KeyStorage() {
            @Override
            public State state() {
                return new State(secrets.persistent() ? Where.KEYCHAIN : Where.THIS_RUN, "", secrets.limitation(),
                        Optional.empty());
            }

            @Override
            public State useFile(boolean file, Collection<String> names) {
                throw new RunnerException.Unavailable("keeping keys in a file is not offered here");
            }
        };
    }
}
