package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreditGateTest {
  /** 1,000 credits a second, 10,000 at most; 1 a byte, 10 a message, 5 an op; 3 s in debt at most. */
  static final CreditPolicy POLICY = CreditPolicy.builder()
      .refillPerSecond(1000)
      .capacity(10_000)
      .costPerMessage(10)
      .costPerByte(1)
      .costPerOp(5)
      .newReward(1)
      .servedReward(1)
      .redundantMultiplier(3)
      .malformedPenalty(1000)
      .debtFloor(1_000_000)
      .maxThrottledMs(3000)
      .maxViolations(3)
      .build();

  double now = 50_000; // the injected clock, in ms

  CreditGate gate() {
    return new CreditGate(new CreditLedger(POLICY).account("peer", now));
  }

  static byte[] bytes(int n) {
    return new byte[n];
  }

  /** Updates of a doc, each its own transaction; the receiver has none of them. */
  static List<byte[]> updates(int n) {
    Doc d = new Doc(9);
    List<byte[]> out = new ArrayList<>();
    d.onUpdate((u, o) -> out.add(u));
    for (int i = 0; i < n; i++) {
      d.getMap("m").set("k" + i, i);
    }
    return out;
  }

  @Test
  void arrive_inCredit_processesAtOnce_andChargesTheBytes() {
    CreditGate g = gate();
    assertEquals(CreditGate.PROCESS, g.arrive(bytes(990), now));
    assertEquals(10_000 - 1000, g.account().balance(now), 1e-9);
    assertNull(g.backoffMessage(now));
  }

  @Test
  void arrive_inDebt_holdsInOrder_toldToBackOffOncePerWait_andDrainsOnceRefilled() {
    CreditGate g = gate();
    assertEquals(CreditGate.PROCESS, g.arrive(bytes(11_990), now)); // admitted in credit: balance -2,000
    byte[] first = bytes(90);
    byte[] second = bytes(190);
    assertEquals(CreditGate.HELD, g.arrive(first, now)); // -2,100
    byte[] backoff = g.backoffMessage(now);
    assertArrayEquals(SyncSession.encodeBackoff(2100), backoff);
    assertEquals(CreditGate.HELD, g.arrive(second, now + 10)); // -2,290 after 10 ms of refill
    assertNull(g.backoffMessage(now + 10), "told once per wait");
    assertEquals(2, g.heldCount());
    assertNull(g.nextHeld(now + 10), "still in debt");
    double wait = g.drainDelayMs(now + 10);
    assertEquals(2290, wait, 1e-9);
    assertNotNull(g.backoffMessage(now + 2100), "a new wait once the last one is over");
    assertTrue(first == g.nextHeld(now + 10 + wait));
    assertTrue(second == g.nextHeld(now + 10 + wait));
    assertNull(g.nextHeld(now + 10 + wait));
  }

  @Test
  void arrive_whileMessagesWait_holdsEvenInCredit_soThatOrderIsKept() {
    CreditGate g = gate();
    g.arrive(bytes(10_990), now); // -1,000
    assertEquals(CreditGate.HELD, g.arrive(bytes(1), now));
    assertEquals(CreditGate.HELD, g.arrive(bytes(2), now + 5000), "in credit again, but one waits before it");
    assertEquals(1, g.nextHeld(now + 5000).length);
    assertEquals(2, g.nextHeld(now + 5000).length);
  }

  @Test
  void arrive_afterMaxThrottledMsInDebt_cutsOff_withTheLedgersReason() {
    CreditGate g = gate();
    g.arrive(bytes(30_000), now);
    double t = now;
    int verdict;
    do {
      t += 100;
      verdict = g.arrive(bytes(200), t);
    } while (verdict == CreditGate.HELD);
    assertEquals(CreditGate.CUT_OFF, verdict);
    assertEquals(now + 3000, t, 1e-9);
    assertEquals("kept sending while throttled for 3 s", g.reason());
    assertEquals(0, g.heldCount(), "what waited is dropped");
    assertEquals(CreditGate.CUT_OFF, g.arrive(bytes(1), t + 60_000), "for good");
  }

  @Test
  void arrive_pastTheHeldLimit_cutsOff() {
    CreditGate g = new CreditGate(new CreditLedger(POLICY.toBuilder().debtFloor(1e12).maxThrottledMs(1e9).build())
        .account("peer", now));
    g.arrive(bytes(20_000), now);
    int verdict = CreditGate.HELD;
    int n = 0;
    while (verdict == CreditGate.HELD) {
      verdict = g.arrive(bytes(0), now);
      n++;
    }
    assertEquals(CreditGate.CUT_OFF, verdict);
    assertEquals(CreditGate.MAX_HELD_MESSAGES + 1, n);
    assertTrue(g.reason().startsWith("kept sending while throttled: over"), g.reason());
  }

  @Test
  void processed_newUpdate_isRewarded_andTheSameAgainIsChargedAsRedundant() {
    CreditGate g = gate();
    SyncSession s = new SyncSession(new Doc(1), null);
    byte[] u = SyncSession.encodeUpdate(updates(1).get(0));
    g.arrive(u, now);
    s.receive(u, now);
    g.processed(u.length, s, now);
    // charged 10 + bytes + 5 (one op), rewarded bytes + 5: the message cost stays
    assertEquals(10_000 - 10, g.account().balance(now), 1e-9);
    assertEquals(1, g.account().newOps(), 1e-9);
    g.arrive(u, now);
    s.receive(u, now);
    g.processed(u.length, s, now);
    assertEquals(10_000 - 10 - 3 * (10 + u.length + 5) + 2 * 10, g.account().balance(now), 1e-9);
    assertEquals(1, g.account().redundant());
    assertEquals(2, g.account().opsIn(), 1e-9);
  }

  @Test
  void processed_syncStep2_isServedOnlyWhenWeAskedForIt() {
    Doc holder = new Doc(1);
    holder.getText("t").insert(0, "some text we lack");
    SyncSession sh = new SyncSession(holder, null);
    CreditGate g = gate();
    SyncSession mine = new SyncSession(new Doc(2), null);
    byte[] step1 = mine.open()[0];
    assertFalse(g.holdOutgoing(step1, CreditGate.opsOf(step1), now)); // counts the ask
    byte[] step2 = sh.receive(step1, now)[0];
    g.arrive(step2, now);
    mine.receive(step2, now);
    g.processed(step2.length, mine, now);
    double afterAsked = g.account().balance(now);
    assertEquals(step2.length, g.account().servedBytes(), 1e-9);
    // the same step 2 again, unasked: redundant and not served
    g.arrive(step2, now);
    mine.receive(step2, now);
    g.processed(step2.length, mine, now);
    assertEquals(step2.length, g.account().servedBytes(), 1e-9);
    assertTrue(g.account().balance(now) < afterAsked - 2 * step2.length);
  }

  @Test
  void malformed_cutsOffAtMaxViolations() {
    CreditGate g = gate();
    assertFalse(g.malformed("bad", now));
    assertFalse(g.malformed("bad", now));
    assertTrue(g.malformed("worse", now));
    assertEquals("3 malformed, last: worse", g.reason());
  }

  @Test
  void backoff_pausesOutgoing_andResumeSendsTheRestInOrder_withTheUpdatesMergedLast() {
    CreditGate g = gate();
    SyncSession s = new SyncSession(new Doc(1), null);
    byte[] backoff = SyncSession.encodeBackoff(1500);
    g.arrive(backoff, now);
    s.receive(backoff, now);
    assertEquals(1500, g.processed(backoff.length, s, now), 1e-9);
    assertTrue(g.isPaused());
    List<byte[]> us = updates(3);
    byte[] presence = SyncSession.encodeAwareness(new byte[] {0});
    assertTrue(g.holdOutgoing(SyncSession.encodeUpdate(us.get(0)), 1, now + 1));
    assertTrue(g.holdOutgoing(presence, 0, now + 2));
    assertTrue(g.holdOutgoing(SyncSession.encodeUpdate(us.get(1)), 1, now + 3));
    assertTrue(g.holdOutgoing(SyncSession.encodeUpdate(us.get(2)), 1, now + 4));
    byte[][] out = g.resume();
    assertFalse(g.isPaused());
    assertEquals(2, out.length);
    assertArrayEquals(presence, out[0]);
    Doc d = new Doc(4);
    new SyncSession(d, null).receive(out[1], now);
    assertEquals("{m={k0=0.0, k1=1.0, k2=2.0}}", String.valueOf(d.toJSON()));
    assertFalse(g.holdOutgoing(SyncSession.encodeUpdate(us.get(0)), 1, now + 1600));
  }

  @Test
  void backoff_shorterThanTheCurrentPause_doesNotShortenIt_andWaitsAreCapped() {
    CreditGate g = gate();
    SyncSession s = new SyncSession(new Doc(1), null);
    s.receive(SyncSession.encodeBackoff(Integer.MAX_VALUE), now);
    assertEquals(CreditGate.MAX_PAUSE_MS, g.processed(5, s, now), 1e-9);
    s.receive(SyncSession.encodeBackoff(10), now);
    assertEquals(0, g.processed(2, s, now), 1e-9);
  }

  @Test
  void accountingOff_processesEverything_butStillHonoursABackoff() {
    CreditGate g = new CreditGate(null);
    for (int i = 0; i < 1000; i++) {
      assertEquals(CreditGate.PROCESS, g.arrive(bytes(1 << 20), now));
    }
    assertFalse(g.malformed("x", now));
    assertNull(g.reason());
    SyncSession s = new SyncSession(new Doc(1), null);
    s.receive(SyncSession.encodeBackoff(100), now);
    assertEquals(100, g.processed(3, s, now), 1e-9);
    assertTrue(g.holdOutgoing(SyncSession.encodeAwareness(new byte[] {0}), 0, now));
  }

  @Test
  void opsOf_countsUpdatesAndPresence_andIsZeroForTheRest() {
    assertEquals(1, CreditGate.opsOf(SyncSession.encodeUpdate(updates(1).get(0))));
    assertEquals(0, CreditGate.opsOf(SyncSession.encodeBackoff(5)));
    assertEquals(0, CreditGate.opsOf(new byte[] {2, 9}));
    assertEquals(0, CreditGate.opsOf(new byte[0]));
  }
}
