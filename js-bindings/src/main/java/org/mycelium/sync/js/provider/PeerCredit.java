package org.mycelium.sync.js.provider;

import java.util.ArrayDeque;
import java.util.ArrayList;
import org.mycelium.sync.CreditAccount;

/**
 * One peer's side of the credit gate ({@link CreditGate}): its account, the messages it sent
 * that wait because it is out of credit, and the messages we keep back because it asked us to
 * back off. Plain state; the gate holds the logic.
 */
final class PeerCredit {
  CreditAccount account; // null when accounting is off or before the first message
  final ArrayDeque<byte[]> held = new ArrayDeque<>(); // received, charged, not processed yet; in order
  int heldBytes; // sum of the held messages' lengths
  int drainTimer; // the timer that processes held messages, 0 when none
  double toldUntil; // we told the peer to wait until this time; no new backoff before it
  int asked; // syncStep1 sent and not yet answered: the next syncStep2 is served, not pushed

  double pausedUntil; // the peer asked us to wait until this time; 0 when not paused
  int resumeTimer; // the timer that ends the pause, 0 when none
  final ArrayList<byte[]> waiting = new ArrayList<>(); // messages to the peer kept back during the pause
}
