package org.mycelium.sync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The regression check's verdicts on made-up results (no timing is measured here). */
class RegressionTest {
  static final List<Regression.Budget> BUDGETS = List.of(
      new Regression.Budget("merge", true, 10.0, 3.0, "ms", ""),
      new Regression.Budget("sync", false, 1000.0, 100000.0, "ops/s", ""),
      new Regression.Budget("replay", true, null, 300.0, "ms", ""));

  static Results results(double merge, double sync, double replay) {
    Results r = new Results();
    r.add("merge", "ms", new double[] {merge}, "");
    r.add("sync", "ops/s", new double[] {sync}, "");
    r.add("replay", "ms", new double[] {replay}, "");
    return r;
  }

  @Test
  void check_passesWhenEveryBudgetIsMet_goalsOnlyReported() {
    assertEquals(0, Regression.check(BUDGETS, results(9.9, 1001, 5000), false));
  }

  @Test
  void check_failsOverAMaxBudgetAndUnderAMinBudget() {
    assertEquals(1, Regression.check(BUDGETS, results(10.1, 5000, 100), false));
    assertEquals(1, Regression.check(BUDGETS, results(1, 999, 100), false));
    assertEquals(2, Regression.check(BUDGETS, results(11, 10, 100), false));
  }

  @Test
  void check_failsWhenABudgetedMetricWasNotMeasured() {
    Results r = new Results();
    r.add("replay", "ms", new double[] {1}, "");
    assertEquals(2, Regression.check(BUDGETS, r, false));
  }

  @Test
  void check_strictGoals_failsMissedGoals() {
    assertEquals(3, Regression.check(BUDGETS, results(5, 5000, 5000), true));
    assertEquals(0, Regression.check(BUDGETS, results(2, 200000, 200), true));
  }

  @Test
  void compare_callsChangesBeyondTheNoiseBetterOrWorse() {
    Results before = results(10, 1000, 500);
    Results after = results(5, 500, 505);
    String out = Regression.compare(before, after, Path.of("base.tsv"));
    assertTrue(out.contains("merge") && out.lines().anyMatch(l -> l.startsWith("merge") && l.endsWith("better")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("sync") && l.endsWith("worse")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("replay") && l.endsWith("within noise")), out);
  }

  @Test
  void results_roundTripThroughTsv_withMedianAndQuartiles() throws Exception {
    Results r = new Results();
    r.add("x", "ms", new double[] {5, 1, 3, 2, 4}, "a note");
    Results back = Results.parse(r.toTsv());
    Results.Stat s = back.get("x");
    assertEquals(3, s.median());
    assertEquals(2, s.p25());
    assertEquals(4, s.p75());
    assertEquals(1, s.min());
    assertEquals(5, s.max());
    assertEquals(5, s.n());
    assertEquals("a note", s.note());
  }
}
