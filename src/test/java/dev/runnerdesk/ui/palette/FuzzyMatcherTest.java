package dev.runnerdesk.ui.palette;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The palette's ranking: prefix, then word start, then inside a word, then letters in order; case does not matter. */
class FuzzyMatcherTest {
    @Test
    void aPrefixBeatsAWordStartWhichBeatsInsideWhichBeatsASubsequence() {
        int prefix = FuzzyMatcher.score("run", "Runners");
        int wordStart = FuzzyMatcher.score("run", "New runner");
        int inside = FuzzyMatcher.score("run", "Rerunning");
        int subsequence = FuzzyMatcher.score("run", "Return to Settings");
        assertTrue(prefix > wordStart, prefix + " > " + wordStart);
        assertTrue(wordStart > inside, wordStart + " > " + inside);
        assertTrue(inside > subsequence, inside + " > " + subsequence);
        assertTrue(subsequence > FuzzyMatcher.NONE);
    }

    @Test
    void caseDoesNotMatter() {
        assertEquals(FuzzyMatcher.score("TIMELINE", "timeline"), FuzzyMatcher.score("timeline", "Timeline"));
        assertTrue(FuzzyMatcher.score("NwR", "new runner") > FuzzyMatcher.NONE);
    }

    @Test
    void lettersOutOfOrderOrMissingDoNotMatch() {
        assertEquals(FuzzyMatcher.NONE, FuzzyMatcher.score("rnu", "run"));
        assertEquals(FuzzyMatcher.NONE, FuzzyMatcher.score("policyx", "Policies"));
        assertEquals(FuzzyMatcher.NONE, FuzzyMatcher.score("a", ""));
    }

    @Test
    void anEmptyQueryMatchesEverythingAlike() {
        assertEquals(0, FuzzyMatcher.score("", "Runners"));
        assertEquals(0, FuzzyMatcher.score("  ", List.of("a", "b")));
    }

    @Test
    void aTighterSubsequenceAndAShorterTextRankHigher() {
        assertTrue(FuzzyMatcher.score("tmn", "terminate") > FuzzyMatcher.score("tmn", "toggle theme now"));
        assertTrue(FuzzyMatcher.score("set", "Settings") > FuzzyMatcher.score("set", "Settings → Connections"));
    }

    @Test
    void anIdMatchesFromAWordStartAfterAnUnderscore() {
        assertTrue(FuzzyMatcher.score("4f2c", "runner_4f2c9a10b3de") > FuzzyMatcher.score("4f2c", "runner_a4f2c9a10b3d"));
    }

    @Test
    void everyWordOfAQueryMustMatchSomeFieldOfAnItem() {
        List<String> runner = List.of("runner_4f2c9a10b3de", "ready", "fake", "locked");
        assertTrue(FuzzyMatcher.score("fake ready", runner) > FuzzyMatcher.NONE);
        assertTrue(FuzzyMatcher.score("locked 4f2c", runner) > FuzzyMatcher.NONE);
        assertEquals(FuzzyMatcher.NONE, FuzzyMatcher.score("fake e2b", runner));
    }

    @Test
    void itemsSortByScore() {
        List<String> titles = List.of("Return to Settings", "Rerunning", "New runner", "Runners");
        List<String> ranked = titles.stream().sorted(Comparator.comparingInt((String t) -> -FuzzyMatcher.score("run", t))).toList();
        assertEquals(List.of("Runners", "New runner", "Rerunning", "Return to Settings"), ranked);
    }
}
