package org.mycelium.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CreditLedgerTest {
  /** Round numbers so that every expectation below is plain arithmetic. */
  static final CreditPolicy SMALL = CreditPolicy.builder()
      .refillPerSecond(100)
      .capacity(1000)
      .costPerMessage(10)
      .costPerByte(1)
      .costPerOp(5)
      .newReward(2)
      .servedReward(1)
      .redundantMultiplier(3)
      .malformedPenalty(300)
      .violationPenalty(50)
      .debtFloor(2000)
      .maxThrottledMs(5000)
      .maxViolations(3)
      .build();

  double now = 1_000_000; // the injected clock, in ms; any origin works

  CreditAccount fresh() {
    return new CreditLedger(SMALL).account("p", now);
  }

  @Test
  void account_startsFullAndOk() {
    CreditAccount a = fresh();
    assertEquals(1000, a.balance(now));
    assertEquals(CreditLedger.OK, a.state(now));
    assertEquals(0, a.backOffMs(now));
    assertNull(a.reason());
    assertEquals("p", a.peer());
  }

  @Test
  void receive_chargesPerMessageBytesAndOps() {
    CreditAccount a = fresh();
    assertEquals(CreditLedger.OK, a.receive(100, 4, now));
    assertEquals(1000 - 10 - 100 - 20, a.balance(now));
    assertEquals(1, a.messagesIn());
    assertEquals(100, a.bytesIn());
    assertEquals(4, a.opsIn());
    a.chargeOps(2, now);
    assertEquals(1000 - 130 - 10, a.balance(now));
    assertEquals(6, a.opsIn());
    assertEquals(1, a.messagesIn());
  }

  @Test
  void refill_addsTheRatePerSecondUpToTheCap() {
    CreditAccount a = fresh();
    a.receive(590, 0, now); // 1000 - 600 = 400
    assertEquals(400, a.balance(now));
    now += 1500;
    assertEquals(550, a.balance(now), 1e-9);
    now += 60_000;
    assertEquals(1000, a.balance(now));
  }

  @Test
  void refill_ignoresTimeGoingBack() {
    CreditAccount a = fresh();
    a.receive(590, 0, now);
    now -= 10_000;
    a.receive(0, 0, now);
    assertEquals(390, a.balance(now));
    now += 10_000 + 1000; // one second after the latest time seen
    assertEquals(490, a.balance(now), 1e-9);
  }

  @Test
  void useful_givesNewContentBackTimesTheRewardUpToTheCap() {
    CreditAccount a = fresh();
    a.receive(490, 2, now); // 1000 - (10 + 490 + 10) = 490
    a.useful(100, 2, now); // + 2 * (100 + 10)
    assertEquals(710, a.balance(now));
    assertEquals(100, a.newBytes());
    assertEquals(2, a.newOps());
    a.useful(10_000, 0, now);
    assertEquals(1000, a.balance(now));
  }

  @Test
  void served_givesAnsweredBytesBack() {
    CreditAccount a = fresh();
    a.receive(590, 0, now);
    a.served(200, now);
    assertEquals(600, a.balance(now));
    assertEquals(200, a.servedBytes());
  }

  @Test
  void redundant_chargesTheMultiplierInAll() {
    CreditAccount a = fresh();
    a.receive(100, 2, now); // 10 + 100 + 10 = 120
    a.redundant(100, 2, now); // (3 - 1) * 110 = 220
    assertEquals(1000 - 120 - 220, a.balance(now));
    assertEquals(1, a.redundant());
  }

  @Test
  void malformed_chargesThePenaltyAndCountsARejection() {
    CreditAccount a = fresh();
    a.receive(10, 0, now);
    a.malformed("truncated varint", now);
    assertEquals(1000 - 20 - 300, a.balance(now));
    assertEquals(1, a.rejected());
    assertEquals(1, a.violations());
    a.violation("unknown type", now);
    assertEquals(1000 - 20 - 350, a.balance(now));
    assertEquals(2, a.rejected());
    assertEquals(CreditLedger.OK, a.state(now));
  }

  @Test
  void receive_inCredit_acceptsEvenAMessageLargerThanTheBalance() {
    CreditAccount a = fresh();
    assertEquals(CreditLedger.OK, a.receive(5000, 0, now));
    assertEquals(-4010, a.balance(now)); // past the floor, but it arrived in credit
    assertNull(a.reason());
    a.useful(5000, 0, now); // it was new: paid back, capped
    assertEquals(1000, a.balance(now));
    assertEquals(CreditLedger.OK, a.state(now));
  }

  @Test
  void receive_inDebt_throttlesAndSaysHowLongToBackOff() {
    CreditAccount a = fresh();
    assertEquals(CreditLedger.OK, a.receive(1140, 0, now)); // 1000 - 1150 = -150
    assertEquals(CreditLedger.THROTTLED, a.state(now));
    assertEquals(1500, a.backOffMs(now), 1e-9);
    assertEquals(CreditLedger.THROTTLED, a.receive(40, 0, now)); // held, and charged: -200
    assertEquals(1, a.held());
    assertEquals(0, a.rejected());
    assertEquals(2000, a.backOffMs(now), 1e-9);
    now += 1000;
    assertEquals(1000, a.backOffMs(now), 1e-9);
  }

  @Test
  void backOff_whenWaitedOut_peerIsBackInCredit() {
    CreditAccount a = fresh();
    a.receive(1140, 0, now);
    now += a.backOffMs(now);
    assertEquals(CreditLedger.OK, a.state(now));
    assertEquals(CreditLedger.OK, a.receive(0, 0, now));
    assertEquals(-10, a.balance(now), 1e-9); // a new, short stretch in debt
  }

  @Test
  void receive_pastTheDebtFloorWhileThrottled_cutsOffWithAReason() {
    CreditAccount a = fresh();
    a.receive(1490, 0, now); // -500
    assertEquals(CreditLedger.THROTTLED, a.receive(990, 0, now)); // -1500
    assertEquals(CreditLedger.CUT_OFF, a.receive(990, 0, now)); // -2500 < -2000
    assertEquals(CreditLedger.CUT_OFF, a.state(now));
    assertEquals("kept sending while throttled: debt over 1 KiB", a.reason());
    assertEquals(Double.POSITIVE_INFINITY, a.backOffMs(now));
    assertEquals(1, a.rejected());
  }

  @Test
  void receive_stillSendingAfterMaxThrottledTime_cutsOff() {
    CreditAccount a = fresh();
    a.receive(1140, 0, now); // -150 at t0
    double t0 = now;
    // Keep the peer in debt: 100 credits a second back in, 100 a second out.
    for (int i = 1; i < 5; i++) {
      now = t0 + i * 1000;
      assertEquals(CreditLedger.THROTTLED, a.receive(90, 0, now), "second " + i);
    }
    now = t0 + 5000;
    assertEquals(CreditLedger.CUT_OFF, a.receive(90, 0, now));
    assertEquals("kept sending while throttled for 5 s", a.reason());
  }

  @Test
  void receive_afterDebtPaidOff_startsANewStretch() {
    CreditAccount a = fresh();
    a.receive(1090, 0, now); // -100
    now += 4000; // +400: in credit again
    assertEquals(CreditLedger.OK, a.receive(390, 0, now)); // 300 - 400 = -100, new stretch
    now += 4000;
    a.receive(390, 0, now); // back to -100, new stretch again: 4 s < 5 s
    now += 900;
    assertEquals(CreditLedger.THROTTLED, a.receive(0, 0, now));
    assertNull(a.reason());
  }

  @Test
  void violations_atTheLimit_cutOffWithTheLastOne() {
    CreditAccount a = fresh();
    a.violation("unknown type x", now);
    a.malformed("bad json", now);
    assertNull(a.reason());
    a.violation("room not joined", now);
    assertEquals(CreditLedger.CUT_OFF, a.state(now));
    assertEquals("3 violations, last: room not joined", a.reason());
  }

  @Test
  void cutOff_isFinalAndRejectsEveryMessage() {
    CreditAccount a = fresh();
    a.cutOff("oversized frames");
    now += 1_000_000;
    assertEquals(CreditLedger.CUT_OFF, a.receive(1, 0, now));
    a.useful(1000, 10, now);
    a.cutOff("something else");
    assertEquals("oversized frames", a.reason());
    assertEquals(CreditLedger.CUT_OFF, a.state(now));
    assertEquals(1, a.rejected());
  }

  @Test
  void sent_countsOutgoingTraffic() {
    CreditAccount a = fresh();
    a.sent(300, 3);
    a.sent(20, 0);
    assertEquals(2, a.messagesOut());
    assertEquals(320, a.bytesOut());
    assertEquals(3, a.opsOut());
    assertEquals(1000, a.balance(now));
  }

  @Test
  void arguments_badCountsAndTimes_throwWithAMessage() {
    CreditAccount a = fresh();
    assertThrows(IllegalArgumentException.class, () -> a.receive(-1, 0, now));
    assertThrows(IllegalArgumentException.class, () -> a.receive(0, -1, now));
    assertThrows(IllegalArgumentException.class, () -> a.receive(0, 0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> a.useful(0, 0, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new CreditLedger(null));
    assertThrows(IllegalArgumentException.class, () -> new CreditLedger(SMALL).account(null, 0));
    assertThrows(IllegalArgumentException.class, () -> CreditLedger.stateName(3));
  }

  @Test
  void policy_builder_rejectsValuesOutOfRange() {
    assertThrows(IllegalArgumentException.class, () -> CreditPolicy.builder().refillPerSecond(0));
    assertThrows(IllegalArgumentException.class, () -> CreditPolicy.builder().capacity(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> CreditPolicy.builder().costPerByte(-1));
    assertThrows(IllegalArgumentException.class, () -> CreditPolicy.builder().redundantMultiplier(0.5));
    assertThrows(IllegalArgumentException.class, () -> CreditPolicy.builder().maxViolations(0));
    assertThrows(IllegalArgumentException.class,
        () -> CreditPolicy.builder().capacity(10).initialBalance(11).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CreditPolicy.builder().debtFloor(-5));
    assertEquals("debtFloor must be a positive finite number", e.getMessage());
  }

  @Test
  void policy_defaults_areTheDocumentedRates() {
    CreditPolicy d = CreditPolicy.defaults();
    assertEquals(262_144, d.refillPerSecond());
    assertEquals(8_388_608, d.capacity());
    assertEquals(8_388_608, d.initialBalance());
    assertEquals(64, d.costPerMessage());
    assertEquals(1, d.costPerByte());
    assertEquals(8, d.costPerOp());
    assertEquals(1.25, d.newReward());
    assertEquals(1, d.servedReward());
    assertEquals(3, d.redundantMultiplier());
    assertEquals(65_536, d.malformedPenalty());
    assertEquals(16_384, d.violationPenalty());
    assertEquals(67_108_864, d.debtFloor());
    assertEquals(10_000, d.maxThrottledMs());
    assertEquals(10, d.maxViolations());
    CreditPolicy copy = d.toBuilder().capacity(1000).build();
    assertEquals(1000, copy.capacity());
    assertEquals(1000, copy.initialBalance()); // not set: follows the capacity
    assertEquals(d.debtFloor(), copy.debtFloor());
    CreditPolicy half = d.toBuilder().initialBalance(500).build().toBuilder().capacity(2000).build();
    assertEquals(500, half.initialBalance()); // set: kept
  }

  @Test
  void ledger_opensFindsListsAndForgetsAccounts() {
    CreditLedger ledger = new CreditLedger(SMALL);
    CreditAccount b = ledger.account("b", now);
    ledger.account("a", now);
    ledger.account("c", now);
    assertSame(b, ledger.account("b", now + 5));
    assertSame(b, ledger.find("b"));
    assertArrayEquals(new String[] {"a", "b", "c"}, ledger.peers());
    assertTrue(ledger.remove("b"));
    assertFalse(ledger.remove("b"));
    assertNull(ledger.find("b"));
    assertEquals(2, ledger.size());
    assertSame(SMALL, ledger.policy());
    assertEquals("ok", CreditLedger.stateName(CreditLedger.OK));
    assertEquals("throttled", CreditLedger.stateName(CreditLedger.THROTTLED));
    assertEquals("cut-off", CreditLedger.stateName(CreditLedger.CUT_OFF));
  }

  // ---- Scenarios under the default policy, as docs/CREDIT.md states them. ----

  @Test
  void defaults_lateJoinerFetching5MbInChunksWithNoReward_isNeverThrottled() {
    // The worst case: a relay that cannot tell new from old, 64 KiB chunks as fast as they come.
    CreditAccount a = new CreditLedger(CreditPolicy.defaults()).account("server", now);
    int chunk = 64 * 1024;
    for (int sent = 0; sent < 5_000_000; sent += chunk) {
      now += 2; // 32 MB/s
      assertEquals(CreditLedger.OK, a.receive(chunk, 1, now), "at byte " + sent);
    }
    assertTrue(a.balance(now) > 0);
  }

  @Test
  void defaults_lateJoinerFetching50MbInOneMessageThatIsNew_isNeverThrottled() {
    CreditAccount a = new CreditLedger(CreditPolicy.defaults()).account("peer", now);
    assertEquals(CreditLedger.OK, a.receive(50_000_000, 0, now));
    a.chargeOps(2_000_000, now);
    a.useful(50_000_000, 2_000_000, now);
    assertEquals(CreditLedger.OK, a.state(now));
    now += 1;
    assertEquals(CreditLedger.OK, a.receive(30, 1, now));
  }

  @Test
  void defaults_fastTypistForAnHour_isNeverThrottled() {
    CreditAccount a = new CreditLedger(CreditPolicy.defaults()).account("peer", now);
    for (int i = 0; i < 3600 * 20; i++) { // 20 updates a second, each 1 op in 40 bytes, new
      now += 50;
      assertEquals(CreditLedger.OK, a.receive(40, 1, now));
      a.useful(40, 1, now);
    }
    // Each update nets -52 (112 cost, 60 back) and the refill tops it up between keystrokes.
    assertEquals(a.policy().capacity() - 52, a.balance(now));
  }

  @Test
  void defaults_flooderAtTenTimesItsAllowanceOfRedundantUpdates_isThrottledThenCutOff() {
    // Allowance: the refill rate. The flooder sends 10 times that in 1 KiB redundant updates
    // and ignores every request to back off; the host drops what arrives while it is throttled.
    CreditPolicy p = CreditPolicy.defaults();
    CreditAccount a = new CreditLedger(p).account("flooder", now);
    double start = now;
    int size = 1024;
    double interval = 1000.0 * size / (10 * p.refillPerSecond());
    double throttledAt = -1;
    int verdict = CreditLedger.OK;
    while (verdict != CreditLedger.CUT_OFF && now - start < 60_000) {
      now += interval;
      verdict = a.receive(size, 1, now);
      if (verdict == CreditLedger.OK) {
        a.redundant(size, 1, now);
      } else if (verdict == CreditLedger.THROTTLED && throttledAt < 0) {
        throttledAt = now - start;
      }
    }
    double cutAt = now - start;
    assertTrue(throttledAt > 0 && throttledAt < 3000, "throttled after " + throttledAt + " ms");
    assertEquals(CreditLedger.CUT_OFF, verdict, "still not cut off after 60 s");
    assertTrue(cutAt >= 10_000 && cutAt <= 20_000, "cut off after " + cutAt + " ms");
    assertEquals("kept sending while throttled for 10 s", a.reason());
  }

  @Test
  void defaults_flooderThatBacksOffWhenTold_isNeverCutOff() {
    CreditPolicy p = CreditPolicy.defaults();
    CreditAccount a = new CreditLedger(p).account("eager", now);
    int size = 1024;
    double interval = 1000.0 * size / (10 * p.refillPerSecond());
    for (int i = 0; i < 200_000; i++) {
      now += interval;
      int verdict = a.receive(size, 1, now);
      assertTrue(verdict != CreditLedger.CUT_OFF, "cut off at message " + i + ": " + a.reason());
      if (verdict == CreditLedger.OK) {
        a.redundant(size, 1, now);
      } else {
        now += a.backOffMs(now); // it waits as told
      }
    }
    assertTrue(a.held() > 0);
  }
}
