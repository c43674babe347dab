package org.mycelium.sync.js.provider;

import org.mycelium.sync.CreditGate;

/** One peer's credit state in a provider: its gate (wasm-core) and the timers the gate asks for. */
final class PeerCredit {
  CreditGate gate; // made when the peer's path opens, or at its first message
  int drainTimer; // the timer that processes held messages, 0 when none
  int resumeTimer; // the timer that ends a pause the peer asked for, 0 when none
}
